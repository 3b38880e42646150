"""The forecast page's numbers: projections, gaps in points and in the indicator's unit, odds."""

import datetime
from decimal import Decimal

import pytest

from vanguard.indicators.outlook import outlook

TODAY = datetime.date(2026, 11, 26)


def row_of(result, code):
    return next(r for r in result.indicators if r.indicator.code == code)


def test_a_district_growing_faster_than_both_comparators_is_likely_to_stay_above(
    plan, indicators_member, steady
):
    steady("retail_sales", district=6.0, city=4.0, province=4.5)
    result = outlook(plan, indicators_member, TODAY)
    row = row_of(result, "retail_sales")
    assert row.latest == 10
    assert row.year_end.growth == pytest.approx(6.0)
    assert row.quarter_end.month == 12
    [target] = [t for t in row.targets if t.target.code.startswith("main-indicators")]
    assert target.month == 12 and target.horizon == 2
    assert target.threshold == pytest.approx(4.5)  # the higher comparator
    assert target.threshold_label == "山东省"
    assert target.gap_points == pytest.approx(1.5)
    # Level to add to reach the province's growth: negative, it is ahead by 1.5 % of 1200.
    assert target.gap_level == pytest.approx(-18.0)
    assert target.probability > 0.5
    assert sorted(area.level for area, _p, _odds in target.comparators) == ["city", "province"]


def test_a_district_behind_is_unlikely_and_short_by_a_level(plan, indicators_member, steady):
    steady("retail_sales", district=3.0, city=4.0, province=4.5)
    row = row_of(outlook(plan, indicators_member, TODAY), "retail_sales")
    [target] = [t for t in row.targets if t.target.code.startswith("main-indicators")]
    assert target.gap_points == pytest.approx(-1.5)
    assert target.gap_level == pytest.approx(18.0)  # 亿元 still to add
    assert target.probability < 0.5


def test_a_target_whose_period_is_over_is_left_to_the_warnings(plan, indicators_member, steady):
    steady("gdp", district=6.0, city=5.0, province=5.0)
    row = row_of(outlook(plan, indicators_member, TODAY), "gdp")
    # GDP is published by quarter: September's figure is in, so the open quarter is Q4.
    assert row.latest == 9 and row.quarter_end.month == 12
    codes = [t.target.code for t in row.targets]
    assert "gdp-growth-2026-q1" not in codes
    assert "gdp-growth-above-province-city-2026" in codes


def test_an_indicator_without_figures_has_no_forecast(plan, indicators_member):
    row = row_of(outlook(plan, indicators_member, TODAY), "retail_sales")
    assert row.latest is None and row.year_end is None and row.targets == []


def test_the_forecast_page_shows_odds_gaps_warnings_and_the_method(
    client, plan, indicators_member, steady
):
    from vanguard.supervision.lights import recompute

    steady("retail_sales", district=3.0, city=4.0, province=4.5)
    recompute(plan, today=TODAY)
    client.force_login(indicators_member)
    response = client.get("/indicators/forecast/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-indicator="retail_sales"' in page
    assert 'id="backtest"' in page and 'id="method"' in page
    assert 'data-rule="below_comparator_far"' in page
    chart = response.context["chart"]
    assert chart["names"] == ["社会消费品零售总额"]
    assert chart["forecasts"] == [3.0] and chart["thresholds"] == [4.5]


def test_the_monthly_pack_downloads_as_word_and_excel_with_the_same_facts(
    client, plan, indicators_member, steady
):
    import io

    from docx import Document
    from openpyxl import load_workbook

    from vanguard.supervision.lights import recompute

    steady("retail_sales", district=3.0, city=4.0, province=4.5)
    recompute(plan, today=TODAY)
    client.force_login(indicators_member)
    page = client.get("/indicators/pack/?month=2026-10")
    assert page.status_code == 200
    assert 'id="pack-docx"' in page.content.decode()

    word = client.get("/indicators/pack.docx?month=2026-10")
    assert word.status_code == 200
    assert "filename*=UTF-8''" in word["Content-Disposition"]
    document = Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1-10月" in text
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "社会消费品零售总额" in cells and "3.0" in cells  # a growth rate, as the page shows it
    assert len(document.inline_shapes) == 2  # the growth chart and the forecast chart

    excel = client.get("/indicators/pack.xlsx?month=2026-10")
    workbook = load_workbook(io.BytesIO(excel.content))
    assert len(workbook.sheetnames) == 7  # with the forecast in words
    values = [c for row in workbook.worksheets[1].iter_rows(values_only=True) for c in row]
    assert any("山东省" in str(v) for v in values)  # the warning in words, not a rule code
    assert "below_comparator_far" not in values


def test_an_administrator_does_not_see_the_pack(client, plan, sysadmin):
    client.force_login(sysadmin)
    assert client.get("/indicators/pack/").status_code == 403


def test_warnings_and_forecasts_through_the_api(client, plan, indicators_member, steady):
    from vanguard.accounts.tokens import do_create_token
    from vanguard.supervision.lights import recompute

    steady("retail_sales", district=3.0, city=4.0, province=4.5)
    recompute(plan, today=TODAY)
    headers = {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(indicators_member.username)}
    warnings = client.get("/api/v1/warnings", **headers).json()
    mine = [w for w in warnings if w["indicator"] == "retail_sales"]
    assert [w["rule"] for w in mine] == ["below_comparator_far", "below_comparator_far"]
    assert all(w["text"] for w in mine)
    forecasts = client.get("/api/v1/forecasts", **headers).json()
    retail = next(f for f in forecasts if f["indicator"] == "retail_sales")
    assert retail["latest_month"] == 10 and retail["year_end"]["growth"] == pytest.approx(3.0)
    [target] = [t for t in retail["targets"] if t["target"].startswith("main-indicators")]
    assert target["gap_level"] == pytest.approx(18.0) and 0 <= target["probability"] < 0.5


def test_projects_starting_production_add_to_the_year_end_level(
    plan, indicators_member, steady, fgj, office_clerk
):
    from vanguard.core.money import YI
    from vanguard.projects.actions import do_create_project
    from vanguard.projects.models import Project

    steady("gdp", district=6.0, city=5.0, province=5.0)
    do_create_project(
        campaign=plan,
        code="XHA-0900",
        name="新能源汽车零部件产业园",
        lead_unit=fgj,
        investment_yuan=120 * YI,
        actor=office_clerk,
        node_plans={},
        completed_planned=datetime.date(2026, 10, 20),
    )
    assert Project.objects.count() == 1
    row = row_of(outlook(plan, indicators_member, TODAY), "gdp")
    # 120亿 × 0.3 a year, for November and December: 6亿 on top of the trend.
    assert row.support.projects == 1
    assert row.support.year_end_increment == pytest.approx(6.0)
    assert row.year_end.increment == pytest.approx(6.0)
    assert row.year_end.growth > 6.0


def test_level_with_the_comparator_does_not_meet_a_relative_target(plan):
    from vanguard.indicators.queries import TargetGap
    from vanguard.targets.models import Target

    relative = Target.objects.get(code="main-indicators-growth-above-province-city-2026")
    growth = Target.objects.get(code="gdp-growth-2026-q1")
    assert TargetGap(relative, Decimal("0")).met is False
    assert TargetGap(relative, Decimal("0.1")).met is True
    assert TargetGap(growth, Decimal("0")).met is True
