"""Workbooks as offices really keep them: percent cells, hidden content, other formats, bombs."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import translation

from tests.exchange.test_import_framework import UnitImporter
from tests.exchange.workbooks import csv_file, make_workbook, zip_bomb
from vanguard.exchange import reading
from vanguard.exchange.parsers import CellError, Percent, decimal, money, parse_date, text
from vanguard.exchange.reading import UnreadableWorkbook, read_workbook
from vanguard.org.models import Unit

HEADERS = ["单位代码", "单位名称", "单位类型"]


@pytest.fixture
def units(office_clerk):
    return UnitImporter(actor=office_clerk)


def test_a_percent_cell_is_read_as_the_person_typed_it():
    file = make_workbook([["增速", "数"], [0.078, 0.078]], formats={"A2": "0.0%"})
    [sheet] = read_workbook(file)
    cell, plain = sheet.rows[2][1], sheet.rows[2][2]
    assert isinstance(cell, Percent) and not isinstance(plain, Percent)
    assert decimal(2)(cell) == Decimal("7.80")
    assert decimal(2)(plain) == Decimal("0.08")
    assert text()(cell) == "7.8%"


def test_full_width_and_mathematical_minus_signs_are_minus_signs():
    assert decimal(1)("－3.5") == Decimal("-3.5")
    assert decimal(1)("−3.5") == Decimal("-3.5")
    with pytest.raises(CellError, match="负数"):
        money(minimum=0)("−20万")


def test_dates_far_outside_any_plan_are_refused_in_words():
    for value in ("1900-01-01", "2126-05-01"):
        with pytest.raises(CellError, match="核对年份"):
            parse_date(value)
    with pytest.raises(CellError, match="核对年份"):
        parse_date(82600)  # Excel's day number of a day in 2126
    assert parse_date("2026-05-01").year == 2026


def test_an_amount_beyond_what_can_be_stored_is_refused_at_its_cell():
    with pytest.raises(CellError, match="过大"):
        money()("99999999999999999亿")


def test_names_lose_zero_width_characters_and_line_breaks():
    assert text(one_line=True)("区发展\u200b和改革局\n") == "区发展和改革局"
    assert text(one_line=True)("区发展和\n改革局") == "区发展和改革局"


def test_hidden_rows_columns_and_sheets_are_not_read_and_the_preview_says_so(units):
    file = make_workbook(
        [
            HEADERS + ["人数"],
            ["kjj", "区科技局", "部门", 3],
            ["tcj", "已退出", "部门", 5],
            ["xajd", "辛安街道", "街道", 4],
        ],
        title="单位",
        hidden_rows=[3],
        hidden_columns=["D"],
        hidden_sheets=[("勿导入", [HEADERS, ["zzz", "勿导入单位", "部门"]])],
    )
    result = units.dry_run(file)
    assert result.ok, [str(p) for p in result.problems]
    assert [plan.key for plan in result.rows] == ["kjj", "xajd"]
    assert all("staff" not in plan.source.values for plan in result.rows)
    notes = " ".join(result.notes)
    assert "勿导入" in notes and "隐藏" in notes
    assert "第 3 行" in notes and "D 列" in notes
    units.apply(make_workbook([HEADERS], hidden_sheets=[("勿导入", [["zzz", "勿导入单位"]])]))
    assert not Unit.objects.filter(code="zzz").exists()


def test_section_headings_and_signature_footers_are_skipped_merged_or_not(units):
    file = make_workbook(
        [
            ["2026年责任单位名单"],
            HEADERS,
            ["一、先进制造业项目（3个）", None, None],
            ["kjj", "区科技局", "部门"],
            ["（二）街道", "（二）街道", "（二）街道"],
            ["xajd", "辛安街道", "街道"],
            [],
            ["填报人：张三", None, "单位负责人：李四"],
            ["分管领导签字：", None, "填报日期：2026年3月5日"],
            [None, None, "（盖章）"],
        ],
        merges=["A1:C1", "A5:C5"],
    )
    result = units.dry_run(file)
    assert result.ok, [str(p) for p in result.problems]
    assert [plan.key for plan in result.rows] == ["kjj", "xajd"]
    notes = " ".join(result.notes)
    assert "分组标题" in notes and "3、5" in notes
    assert "签字" in notes and "8、9、10" in notes


def test_a_gbk_csv_file_is_read(units):
    result = units.dry_run(csv_file([HEADERS, ["kjj", "区科技局", "部门"]]))
    assert result.ok, [str(p) for p in result.problems]
    assert result.rows[0].source.values["name"] == "区科技局"
    utf8 = csv_file([HEADERS, ["kjj", "区科技局", "部门"]], encoding="utf-8-sig")
    assert units.dry_run(utf8).rows[0].source.values["name"] == "区科技局"


def test_an_xls_or_ods_file_is_refused_naming_the_formats_that_are_read(units):
    xls = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    [problem] = units.dry_run(xls).problems
    assert ".xls" in problem.message and ".xlsx" in problem.message and ".csv" in problem.message
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    ods.seek(0)
    [problem] = units.dry_run(ods).problems
    assert ".ods" in problem.message and ".xlsx" in problem.message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(units):
    bomb = zip_bomb(HEADERS)
    assert len(bomb.getvalue()) < 200_000
    with pytest.raises(UnreadableWorkbook, match="压缩比"):
        read_workbook(bomb)
    bomb.seek(0)
    [problem] = units.dry_run(bomb).problems
    assert "压缩比" in problem.message


def test_a_workbook_beyond_the_size_row_or_time_limits_is_refused(units, monkeypatch):
    rows = [HEADERS] + [["u{}".format(n), "单位{}".format(n), "部门"] for n in range(1500)]
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 10_000)
    with pytest.raises(UnreadableWorkbook, match="解压后"):
        read_workbook(make_workbook(rows))
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 10**9)
    monkeypatch.setattr(reading, "MAX_ROWS", 1000)
    with pytest.raises(UnreadableWorkbook, match="1000 行"):
        read_workbook(make_workbook(rows))
    monkeypatch.setattr(reading, "MAX_ROWS", 10**6)
    monkeypatch.setattr(reading, "MAX_SECONDS", -1)
    [problem] = units.dry_run(make_workbook(rows)).problems
    assert "秒" in problem.message


def test_problems_read_in_one_language_each(units):
    file = make_workbook([HEADERS, [None, "区科技局", "公司"]])
    message = units.dry_run(file).problems[0].message
    assert message == "必填项为空。"
    with translation.override("en"):
        problems = UnitImporter(actor=units.actor).dry_run(make_workbook([HEADERS, [None, "甲"]]))
    assert problems.problems[0].message == "Required, but empty."
