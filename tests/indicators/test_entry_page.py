"""Entering and revising figures through the page form."""

import datetime
from decimal import Decimal

import pytest

from tests.indicators.conftest import OCTOBER, TODAY
from vanguard.indicators.actions import do_submit_observation
from vanguard.indicators.models import Observation

pytestmark = pytest.mark.django_db

URL = "/indicators/retail_sales/enter/"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def post(client, **data):
    return client.post(URL, {"area": "district", "month": "2026-10", **data})


def current_retail():
    return Observation.objects.current().get(indicator__code="retail_sales", area__level="district")


def test_a_reporter_enters_a_months_figures(login, plan, tjj_reporter):
    client = login(tjj_reporter)
    page = client.get(URL)
    assert page.status_code == 200
    assert "1-10月累计（亿元）" in page.content.decode()

    response = post(client, level="812.4", growth_pct="5.1%")

    assert response.status_code == 302
    observation = current_retail()
    assert (observation.level, observation.growth_pct, observation.version) == (
        Decimal("812.40"),
        Decimal("5.10"),
        1,
    )
    assert observation.source == "form"


def test_a_revision_names_the_version_shown_and_needs_a_reason(
    login, plan, tjj_reporter, indicator, area
):
    do_submit_observation(
        indicator("retail_sales"), area("district"), OCTOBER,
        actor=tjj_reporter, level=800, growth_pct=5, today=TODAY,
    )  # fmt: skip
    client = login(tjj_reporter)
    page = client.get(URL + "?area=district&month=2026-10").content.decode()
    assert 'name="revises" value="1"' in page

    assert post(client, level="812", growth_pct="5.3", revises="1").status_code == 400
    response = post(client, level="812", growth_pct="5.3", revises="1", reason="统计局修订")

    assert response.status_code == 302
    assert (current_retail().version, current_retail().growth_pct) == (2, Decimal("5.30"))


def test_a_stale_revision_is_refused_and_shows_the_figure_now_in_force(
    login, plan, tjj_reporter, indicators_member, indicator, area
):
    retail, district = indicator("retail_sales"), area("district")
    do_submit_observation(
        retail, district, OCTOBER, actor=tjj_reporter, level=800, growth_pct=5, today=TODAY
    )
    client = login(tjj_reporter)
    client.get(URL)  # the reporter opens version 1 ...
    do_submit_observation(  # ... the task force revises it meanwhile
        retail, district, OCTOBER, actor=indicators_member, level=805, growth_pct=6,
        revises=1, today=TODAY, reason="专班核对",
    )  # fmt: skip

    response = post(client, level="812", growth_pct="5.3", revises="1", reason="我的修改")

    assert response.status_code == 400
    content = response.content.decode()
    assert "第 2 版" in content and "孙专班" in content  # a name, not a login
    assert 'name="revises" value="2"' in content
    assert current_retail().growth_pct == Decimal("6.00")


def test_a_percentage_in_the_level_field_is_refused(login, plan, tjj_reporter):
    client = login(tjj_reporter)

    response = post(client, level="5.2%", growth_pct="5.2")

    assert response.status_code == 400
    assert "百分比" in response.content.decode()
    assert not Observation.objects.exists()


def test_a_month_not_yet_over_cannot_be_chosen(login, plan, tjj_reporter):
    client = login(tjj_reporter)
    response = client.get(URL + "?month=2026-11", follow=True)
    assert response.redirect_chain[-1][0].endswith("month=2026-10")
    assert "2026年11月" in response.content.decode()
    response = post(client, month="2026-11", growth_pct="5")
    assert response.status_code == 302
    assert not Observation.objects.exists()


def test_a_reporter_of_another_unit_cannot_open_or_post_the_form(login, plan, fgj_reporter):
    client = login(fgj_reporter)
    assert client.get(URL).status_code == 403
    assert post(client, growth_pct="5", level="800").status_code == 403
    assert not Observation.objects.exists()


def test_the_growth_only_indicator_form_has_no_level_field(login, plan, indicators_member):
    page = login(indicators_member).get("/indicators/industrial_value_added/enter/")
    content = page.content.decode()
    assert 'name="growth_pct"' in content and 'name="level"' not in content


def test_a_quarterly_indicator_offers_only_quarter_end_months(login, plan, indicators_member):
    content = login(indicators_member).get("/indicators/gdp/enter/").content.decode()
    assert 'value="2026-09"' in content and 'value="2026-10"' not in content
    assert datetime.date(2026, 9, 1).strftime("%Y-%m") in content
