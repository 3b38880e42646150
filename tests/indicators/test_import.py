"""The statistics bureau's monthly table: dry run, errors by sheet/row/column, one transaction."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.indicators.conftest import OCTOBER, SEPTEMBER, TODAY
from tests.indicators.workbooks import OCTOBER_ROWS, monthly_tables, statistics_table
from vanguard.exchange.importing import RowAction
from vanguard.exchange.xlsx import write_workbook
from vanguard.indicators.actions import do_submit_observation
from vanguard.indicators.models import Observation
from vanguard.indicators.sheets.statistics_export import statistics_sheet
from vanguard.indicators.sheets.statistics_import import (
    StatisticsTableImporter,
    decode_versions,
    encode_versions,
)

pytestmark = pytest.mark.django_db


def importer(user, plan, **options):
    return StatisticsTableImporter(actor=user, campaign=plan, today=TODAY, **options)


def rows_with(changes):
    """OCTOBER_ROWS with some rows replaced: {indicator name: row}."""
    return [changes.get(row[0], row) for row in OCTOBER_ROWS]


def where(result):
    return sorted(p.where for p in result.problems)


def current(code, level="district", month=OCTOBER):
    return Observation.objects.current().get(indicator__code=code, area__level=level, month=month)


def test_the_dry_run_plans_every_row_and_writes_nothing(plan, tjj_reporter):
    result = importer(tjj_reporter, plan).dry_run(statistics_table())

    assert result.ok, [str(p) for p in result.problems]
    actions = {p.key: p.action for p in result.rows}
    assert actions["社会消费品零售总额 · 1-10月"] == RowAction.CREATE
    # GDP is published by quarter: its October row is blank and skipped.
    assert actions["地区生产总值 · 1-10月"] == RowAction.SKIP
    # The footnote under the table is not a row.
    assert len(result.rows) == len(OCTOBER_ROWS)
    retail = next(p for p in result.rows if p.key.startswith("社会消费品"))
    assert [(c.label, c.before, c.after) for c in retail.changes] == [
        ("西海岸新区 累计值", "", "812.4"),
        ("西海岸新区 增速（%）", "", "5.1"),
        ("青岛市 增速（%）", "", "4.6"),
        ("山东省 增速（%）", "", "5.2"),
    ]
    assert not Observation.objects.exists()


def test_apply_writes_every_figure_of_the_month_in_one_go(plan, tjj_reporter):
    result = importer(tjj_reporter, plan).apply(statistics_table())

    assert result.applied, [str(p) for p in result.problems]
    assert current("retail_sales").level == Decimal("812.40")
    assert current("retail_sales", "province").growth_pct == Decimal("5.20")
    assert current("industrial_value_added").level is None
    assert current("industrial_value_added").growth_pct == Decimal("7.60")
    assert current("foreign_trade").source == "import"
    # 5 indicators with figures × 3 areas.
    assert Observation.objects.count() == 15


def test_the_month_comes_from_the_header_when_there_is_no_title(plan, tjj_reporter):
    file = statistics_table(month=9, title=False, sheet="Sheet1")
    result = importer(tjj_reporter, plan).apply(file)
    assert result.applied, [str(p) for p in result.problems]
    assert current("retail_sales", month=SEPTEMBER).level == Decimal("812.40")


def test_a_one_row_header_works_as_well(plan, tjj_reporter):
    result = importer(tjj_reporter, plan).dry_run(statistics_table(two_row_header=False))
    assert result.ok and result.counts["create"] == 5


def test_a_sheet_whose_month_cannot_be_told_is_refused(plan, tjj_reporter):
    file = statistics_table(title=False, level_header="本年累计", sheet="Sheet1")
    result = importer(tjj_reporter, plan).dry_run(file)
    assert [p.where for p in result.problems] == ["Sheet1!2:2"]
    assert "无法确定月份" in result.problems[0].message


def test_title_and_header_naming_different_months_are_refused(plan, tjj_reporter):
    result = importer(tjj_reporter, plan).dry_run(statistics_table(level_header="1-9月累计"))
    assert "1-9月累计" in result.problems[0].message and "2026年10月" in result.problems[0].message


def test_a_month_not_yet_over_is_refused(plan, tjj_reporter):
    result = importer(tjj_reporter, plan).dry_run(statistics_table(month=11))
    assert where(result) == ["11月!3:3"]
    assert "尚未结束" in result.problems[0].message


def test_every_bad_cell_is_named_by_sheet_row_and_column(plan, tjj_reporter):
    file = statistics_table(
        rows_with(
            {
                # A growth rate written into the level column.
                "社会消费品零售总额": ["社会消费品零售总额", "亿元", "5.1%", 5.1, 4.6, 5.2],
                # A level indicator whose unit says %: its figures are growth rates.
                "一般公共预算收入": ["一般公共预算收入", "%", 4.2, 4.2, 3.5, 2.9],
                # A growth-only indicator given a level.
                "规上工业增加值": ["规上工业增加值", "%", 512.3, 7.6, 7.1, 7.4],
                # GDP is quarterly: October is not a quarter's end.
                "地区生产总值": ["地区生产总值", "亿元", 3900, 6.1, 5.8, 5.9],
                # Not in the catalogue.
                "外贸进出口总额": ["城镇居民人均可支配收入", "元", 52000, 5.0, 4.8, 4.9],
            }
        )
    )
    result = importer(tjj_reporter, plan).dry_run(file)

    messages = {p.where: p.message for p in result.problems}
    assert sorted(messages) == [
        "10月!A10 (指标)",  # not in the catalogue
        "10月!A4 (指标)",  # GDP in October
        "10月!B9 (计量单位)",  # % as the unit of a level indicator
        "10月!C6 (1-10月累计)",  # a level for a growth-only indicator
        "10月!C8 (1-10月累计)",  # a percentage in the level column
    ]
    assert "季" in messages["10月!A4 (指标)"]
    assert "城镇居民人均可支配收入" in messages["10月!A10 (指标)"]
    assert "增速" in messages["10月!B9 (计量单位)"]
    assert "只发布增速" in messages["10月!C6 (1-10月累计)"]
    assert "百分数" in messages["10月!C8 (1-10月累计)"]
    assert not Observation.objects.exists()


def test_a_level_below_the_month_before_is_refused_across_the_sheets_of_one_upload(
    plan, tjj_reporter
):
    september = [["社会消费品零售总额", "亿元", 730, 5.0, 4.5, 5.0]]
    october_low = [["社会消费品零售总额", "亿元", 5.1, 5.1, 4.6, 5.2]]
    result = importer(tjj_reporter, plan).dry_run(monthly_tables((9, september), (10, october_low)))
    # Both months are named: September is above October, October below September.
    assert where(result) == ["10月!C4 (1-10月累计)", "9月!C4 (1-9月累计)"]
    assert "730" in result.problems[0].message

    october = [["社会消费品零售总额", "亿元", 812.4, 5.1, 4.6, 5.2]]
    result = importer(tjj_reporter, plan).apply(monthly_tables((9, september), (10, october)))
    assert result.applied
    assert current("retail_sales", month=SEPTEMBER).level == Decimal("730.00")


def test_a_bad_row_stops_the_whole_import(plan, tjj_reporter):
    rows = rows_with({"外贸进出口总额": ["外贸进出口总额", "亿元", -3, 6.8, 5.0, 4.1]})
    result = importer(tjj_reporter, plan).apply(statistics_table(rows))
    assert not result.applied
    assert where(result) == ["10月!C10 (1-10月累计)"]
    assert not Observation.objects.exists()


def test_a_refusal_while_applying_rolls_everything_back(plan, tjj_reporter, monkeypatch):
    from vanguard.indicators.sheets import statistics_import as sheet

    real = sheet.do_submit_observation

    def refuse_trade(indicator, *args, **kwargs):
        if indicator.code == "foreign_trade":
            raise ValidationError({"level": "拒绝 / refused"})
        return real(indicator, *args, **kwargs)

    monkeypatch.setattr(sheet, "do_submit_observation", refuse_trade)
    result = importer(tjj_reporter, plan).apply(statistics_table())

    assert not result.applied
    assert where(result) == ["10月!C10 (1-10月累计)"]
    assert not Observation.objects.exists()


def test_a_changed_figure_revises_the_version_in_force_and_keeps_the_old(
    plan, tjj_reporter, indicator, area
):
    importer(tjj_reporter, plan).apply(statistics_table())
    rows = rows_with({"社会消费品零售总额": ["社会消费品零售总额", "亿元", 815.0, 5.3, 4.6, 5.2]})

    preview = importer(tjj_reporter, plan).dry_run(statistics_table(rows))
    retail = next(p for p in preview.rows if p.key.startswith("社会消费品"))
    assert retail.action == RowAction.UPDATE
    assert [(c.before, c.after) for c in retail.changes] == [("812.4", "815"), ("5.1", "5.3")]
    assert preview.counts["unchanged"] == 4

    assert importer(tjj_reporter, plan).apply(statistics_table(rows)).applied
    versions = Observation.objects.filter(indicator__code="retail_sales", area__level="district")
    assert [(o.version, o.is_current) for o in versions.order_by("version")] == [
        (1, False),
        (2, True),
    ]
    assert current("retail_sales").reason == "Excel import"
    # The city and province figures did not change: still version 1.
    assert current("retail_sales", "city").version == 1


def test_a_figure_revised_after_the_preview_is_not_overwritten(
    plan, tjj_reporter, indicators_member, indicator, area
):
    importer(tjj_reporter, plan).apply(statistics_table())
    rows = rows_with({"社会消费品零售总额": ["社会消费品零售总额", "亿元", 815.0, 5.3, 4.6, 5.2]})
    preview = importer(tjj_reporter, plan)
    preview.dry_run(statistics_table(rows))
    versions = decode_versions(encode_versions(preview.versions))
    do_submit_observation(
        indicator("retail_sales"), area("district"), OCTOBER, actor=indicators_member,
        level=813, growth_pct="5.2", revises=1, today=TODAY,
    )  # fmt: skip

    result = importer(tjj_reporter, plan, expected_versions=versions).apply(statistics_table(rows))

    assert not result.applied
    assert where(result) == ["10月!A8 (指标)"]
    assert "tf_indicators" in result.problems[0].message
    assert current("retail_sales").level == Decimal("813.00")


def test_a_reporter_of_another_unit_imports_nothing(plan, fgj_reporter):
    result = importer(fgj_reporter, plan).apply(statistics_table())
    assert not result.applied and not result.rows
    assert (
        "统计表" in result.problems[0].message or "statistics table" in result.problems[0].message
    )
    assert not Observation.objects.exists()


def test_rows_of_an_indicator_another_unit_answers_for_are_refused(plan, tjj_reporter, fgj):
    from vanguard.indicators.models import Indicator

    Indicator.objects.filter(code="foreign_trade").update(
        responsible_unit=fgj, responsible_unit_name=fgj.name
    )
    result = importer(tjj_reporter, plan).dry_run(statistics_table())
    assert where(result) == ["10月!A10 (指标)"]
    assert "区发展和改革局" in result.problems[0].message


def test_an_unknown_comparator_area_column_is_refused(plan, tjj_reporter):
    from openpyxl import load_workbook

    file = statistics_table(two_row_header=False)
    workbook = load_workbook(file)
    workbook.active.cell(2, 7, "全国增速(%)")
    workbook.active.cell(3, 7, 5.0)
    from tests.indicators.workbooks import save

    result = importer(tjj_reporter, plan).dry_run(save(workbook))
    assert where(result) == ["10月!2:2"]
    assert "全国" in result.problems[0].message


def test_the_export_reads_back_unchanged(plan, tjj_reporter, leader):
    importer(tjj_reporter, plan).apply(statistics_table())
    import io

    data = write_workbook([statistics_sheet(plan, leader, OCTOBER)])
    result = importer(tjj_reporter, plan).dry_run(io.BytesIO(data))

    assert result.ok, [str(p) for p in result.problems]
    assert result.counts["unchanged"] == 5 and result.counts["skip"] == 2


def test_an_empty_export_filled_in_imports(plan, tjj_reporter, leader):
    import io

    from openpyxl import load_workbook

    data = write_workbook([statistics_sheet(plan, leader, SEPTEMBER)])
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet["A1"].value == "2026年1-9月西海岸新区主要经济指标"
    assert [c.value for c in sheet[2]] == [
        "指标", "计量单位", "1-9月累计", "同比增长(%)", "全市增速(%)", "全省增速(%)",
    ]  # fmt: skip
    sheet["C3"], sheet["D3"] = 3650.2, 6.4  # GDP, 1-9月
    from tests.indicators.workbooks import save

    result = importer(tjj_reporter, plan).apply(save(workbook))
    assert result.applied
    assert current("gdp", month=SEPTEMBER).level == Decimal("3650.20")


def test_january_is_written_1月(plan, tjj_reporter):
    rows = [["社会消费品零售总额", "亿元", 80.2, 4.0, 3.5, 3.8]]
    result = importer(tjj_reporter, plan).apply(statistics_table(rows, month=1))
    assert result.applied
    assert current("retail_sales", month=datetime.date(2026, 1, 1)).level == Decimal("80.20")
