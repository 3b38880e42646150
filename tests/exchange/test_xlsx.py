"""The one workbook writer: what an office sees when it opens or prints a download."""

import datetime
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from vanguard.exchange.xlsx import AMOUNT, Sheet, write_workbook


def opened(*sheets):
    return load_workbook(io.BytesIO(write_workbook(sheets)))


def test_a_text_that_starts_with_an_equals_sign_stays_text():
    content = write_workbook(
        [("问题", ["问题", "单位"], [['=HYPERLINK("http://example.invalid/","看")', "=1+1"]])]
    )
    sheet = load_workbook(io.BytesIO(content)).active
    first, second = sheet["A2"], sheet["B2"]
    assert first.value == '=HYPERLINK("http://example.invalid/","看")'
    assert first.data_type == "s" and second.data_type == "s"
    assert first.quotePrefix  # stays text when someone edits the cell in Excel
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_control_characters_are_cleaned_on_the_way_out():
    sheet = opened(("表\x01", ["说明\x0b"], [["第一行\x0b第二行\x00"]])).active
    assert sheet.title == "表"
    assert sheet["A1"].value == "说明\n"
    assert sheet["A2"].value == "第一行\n第二行"
    assert sheet["A2"].alignment.wrap_text  # two lines show as two lines


def test_numbers_and_dates_carry_the_formats_offices_read():
    sheet = opened(
        (
            "数",
            ["总投资（万元）", "增速(%)", "项目数", "经度", "开工日期", "填报时间"],
            [
                [
                    12268583.1,
                    5.2,
                    1234,
                    Decimal("120.123456"),
                    datetime.date(2026, 3, 5),
                    datetime.datetime(2026, 3, 5, 9, 30),
                ]
            ],
        )
    ).active
    amount, rate, count, longitude, day, moment = sheet[2]
    assert amount.number_format == "#,##0.00"
    assert rate.number_format == "0.00"
    assert count.number_format == "#,##0"
    assert longitude.number_format == "#,##0.00####"  # six decimals kept in view
    assert day.is_date and day.number_format == "yyyy-mm-dd"
    assert moment.is_date and moment.number_format == "yyyy-mm-dd hh:mm"


def test_a_column_may_be_given_its_format():
    sheet = opened(
        Sheet(title="企业", headers=["1月"], rows=[[1500.0]], formats={0: AMOUNT})
    ).active
    assert sheet["A2"].number_format == "#,##0.00"


def test_columns_are_as_wide_as_their_content_and_chinese_counts_double():
    sheet = opened(
        ("宽", ["名称", "code", "数"], [["青岛海洋装备产业园项目", "XHA-0001", 3]])
    ).active
    chinese, latin, number = (sheet.column_dimensions[c].width for c in "ABC")
    assert chinese >= 22  # 11 Chinese characters
    assert 10 <= latin < chinese
    assert number < latin


def test_the_header_is_frozen_and_printed_on_every_page_of_a4():
    sheet = opened(
        Sheet(title="表", headers=["名称"], rows=[["甲"]], caption=["标题", "说明"])
    ).active
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.paperSize == 9
    assert "&P" in sheet.oddFooter.center.text
    assert sheet.page_setup.orientation != "landscape"


def test_a_wide_sheet_prints_landscape_one_page_wide():
    headers = ["第{}列的表头".format(n) for n in range(12)]
    sheet = opened(("宽表", headers, [["内容比较长的一格文字"] * 12])).active
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0


def test_rows_stream_from_an_iterator_longer_than_the_sample():
    rows = ([n, "项目{}".format(n)] for n in range(1200))
    sheet = opened(("长", ["序号", "名称"], rows)).active
    assert sheet.max_row == 1201
    assert sheet["B1201"].value == "项目1199"


def test_a_size_class_in_a_header_is_not_a_unit():
    sheet = opened(
        (
            "进度",
            ["引进亿元以上项目", "投资（亿元）", "Investment (10,000 yuan)", "差距（百分点）"],
            [[34, 12, 1500, 0.8]],
        )
    ).active
    count, yi, wan, gap = sheet[2]
    assert count.number_format == "#,##0"  # a count of projects
    assert yi.number_format == wan.number_format == "#,##0.00"
    assert gap.number_format == "0.00"


def test_a_note_under_the_table_runs_on_instead_of_widening_or_wrapping():
    note = "注：累计为 1 月至当月累计数，增速为比上年同期增长（%）；留空的单元格不改变已有数据。"
    sheet = opened(("表", ["指标", "累计"], [["地区生产总值", 12.5], [], [note]])).active
    assert sheet.column_dimensions["A"].width < 20
    assert sheet["A4"].value == note and not sheet["A4"].alignment.wrap_text
