"""The overview of a month and an indicator's page."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.indicators.conftest import OCTOBER, SEPTEMBER, TODAY
from vanguard.indicators.actions import do_submit_observation

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def figures(plan, indicator, area, indicators_member):
    """Retail sales for September and October (October revised), GDP for March and September."""

    def put(code, level, month, growth, value=None, **extra):
        return do_submit_observation(
            indicator(code), area(level), month, actor=indicators_member,
            growth_pct=Decimal(growth), level=value, today=TODAY, **extra,
        ).observation  # fmt: skip

    put("retail_sales", "district", SEPTEMBER, "5.0", 730)
    put("retail_sales", "district", OCTOBER, "4.8", 810)
    put("retail_sales", "district", OCTOBER, "4.1", 812, revises=1, reason="统计局修订")
    put("retail_sales", "city", OCTOBER, "4.6")
    put("retail_sales", "province", OCTOBER, "5.2")
    put("gdp", "district", MARCH, "6.2", 1150)
    put("gdp", "city", MARCH, "5.9")
    put("gdp", "province", MARCH, "6.0")
    put("gdp", "district", SEPTEMBER, "6.6", 3650)
    put("gdp", "city", SEPTEMBER, "5.8")
    put("gdp", "province", SEPTEMBER, "5.6")


def row_of(content, code):
    match = re.search(r'<tr data-indicator="{}">(.*?)</tr>'.format(code), content, re.S)
    assert match, code
    return match.group(1)


def cell(row, name):
    match = re.search(r'data-cell="{}">(.*?)</td>'.format(name), row, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_overview_shows_the_latest_month_with_comparators_and_differences(
    login, figures, leader
):
    content = login(leader).get("/indicators/").content.decode()

    assert "1-10月" in content
    retail = row_of(content, "retail_sales")
    assert cell(retail, "level") == "812"
    assert cell(retail, "growth") == "4.1"
    assert cell(retail, "city") == "4.6"
    assert cell(retail, "vs-city") == "-0.5"
    assert cell(retail, "vs-province") == "-1.1"
    # The main indicators' year target: above the province and the city; the province decides.
    assert 'data-target="main-indicators-growth-above-province-city-2026"' in retail
    assert "-1.1" in retail.split('data-target="main-indicators')[1]


def test_a_quarterly_indicator_shows_its_latest_quarter(login, figures, leader):
    gdp = row_of(login(leader).get("/indicators/?month=2026-10").content.decode(), "gdp")
    assert "1-9月" in gdp
    assert cell(gdp, "growth") == "6.6"
    assert cell(gdp, "vs-province") == "+1"


def test_in_the_first_quarter_the_q1_growth_target_and_its_gap_show(login, figures, leader):
    gdp = row_of(login(leader).get("/indicators/?month=2026-03").content.decode(), "gdp")
    assert 'data-target="gdp-growth-2026-q1"' in gdp
    q1 = gdp.split('data-target="gdp-growth-2026-q1"')[1].split("</div>")[0]
    assert "-0.3" in q1 and "text-danger" in q1


def test_every_participant_sees_the_overview_administrators_do_not(
    login, figures, hdjd_reporter, sysadmin, client
):
    assert login(hdjd_reporter).get("/indicators/").status_code == 200
    client.logout()
    assert login(sysadmin).get("/indicators/").status_code == 403


def test_the_overview_takes_a_constant_number_of_queries(login, figures, leader):
    client = login(leader)
    client.get("/indicators/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/indicators/").status_code == 200
    # Ten for the page; four for the navigation's counts (work queue, unread notices).
    assert len(queries) <= 14, [q["sql"] for q in queries]


def test_the_indicator_page_charts_district_city_province_and_target(login, figures, leader):
    content = login(leader).get("/indicators/gdp/").content.decode()

    data = json.loads(
        re.search(r'id="indicator-chart-data" type="application/json">(.*?)</script>', content)[1]
    )
    assert data["labels"] == ["1-3月", "1-6月", "1-9月", "1-12月"]
    by_area = {s["level"]: s["values"] for s in data["series"]}
    assert by_area["district"] == [6.2, None, 6.6, None]
    assert by_area["province"] == [6.0, None, 5.6, None]
    assert data["target"]["values"] == [6.5, None, None, None]
    assert "vendor/echarts/echarts.min.js" in content


def test_the_indicator_page_lists_revisions_with_the_superseded_figure(login, figures, leader):
    content = login(leader).get("/indicators/retail_sales/").content.decode()
    history = content.split('id="history"')[1]
    assert 'data-version="2" data-current="1"' in history
    assert 'data-version="1" data-current="0"' in history
    assert "<del>4.8%</del>" in history
    assert "统计局修订" in history


def test_the_navigation_leads_to_the_indicators(login, plan, leader):
    content = login(leader).get("/").content.decode()
    assert 'href="/indicators/"' in content
