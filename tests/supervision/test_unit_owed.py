"""One unit, one list (一单位一清单): what a unit owes, gathered through the owed registry.

The rows are made through the doors: projects created by the office's action, a dekad
report filed by the unit's reporter, indicators loaded from the plan (区统计局 answers
for them). The unit's page and the API read the same list, red first, scoped by
org.access; a provider a test registers feeds the page as the domains' do.
"""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import make_person
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.indicators.models import Indicator
from vanguard.org.choices import Battle, UnitKind
from vanguard.org.models import Unit
from vanguard.projects.actions import do_submit_report
from vanguard.projects.deadlines import dekad_due_date
from vanguard.supervision import owed
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import recompute
from vanguard.supervision.owed import Owed, register_owed, unit_owed


@pytest.fixture
def tjj(db):
    """The statistics bureau, created before the plan so its indicators name it."""
    return Unit.objects.create(code="tjj", name="区统计局", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def owed_registry():
    """The registry as the apps left it, restored after the test."""
    before = dict(owed.PROVIDERS)
    yield owed.PROVIDERS
    owed.PROVIDERS.clear()
    owed.PROVIDERS.update(before)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def fgj_projects(make_project, fgj, today):
    """A red project (a key node overdue) and a green one (its nodes well ahead)."""
    green = make_project({"project_approval": today + datetime.timedelta(days=90)}, code="XHA-0100")
    red = make_project({"project_approval": today - datetime.timedelta(days=30)}, code="XHA-0200")
    recompute(red.campaign, today=today)
    return red, green


def test_a_units_list_holds_the_projects_it_leads_red_first_with_the_dekad_due(
    fgj_projects, fgj, fgj_reporter, office_clerk, today
):
    red, green = fgj_projects
    do_submit_report(green, actor=fgj_reporter, progress="按计划推进")
    dekad = period_containing(PeriodKind.DEKAD, today)

    rows = unit_owed(red.campaign, fgj, office_clerk)

    assert [row.label.split()[0] for row in rows] == ["XHA-0200", "XHA-0100"]
    assert [row.light for row in rows] == [Light.RED, Light.GREEN]
    assert rows[0].reason and rows[0].battle == Battle.PROJECTS
    # The red one has not reported this dekad; the green one has, so the next dekad is due.
    assert rows[0].due == dekad_due_date(red.campaign, dekad)
    assert rows[1].due == dekad_due_date(red.campaign, dekad.next())
    assert rows[0].url == "/projects/p/XHA-0200/"


def test_a_units_list_holds_the_indicators_it_answers_for_due_with_the_months_figures(
    tjj, plan, office_clerk, today
):
    recompute(plan, today=today)
    answered = Indicator.objects.filter(campaign=plan, responsible_unit=tjj)
    assert answered.exists()

    rows = unit_owed(plan, tjj, office_clerk)

    assert {row.label for row in rows} == set(answered.values_list("name", flat=True))
    assert {row.battle for row in rows} == {Battle.INDICATORS}
    assert all(row.light in Light.values for row in rows)
    assert all(row.due is not None and row.due >= today for row in rows)
    ranks = [row.rank for row in rows]
    assert ranks == sorted(ranks)


def test_an_indicator_whose_months_figure_is_filed_falls_due_with_the_next_month(
    tjj, plan, office_clerk
):
    """The month's figure filed for the district, the next published month falls due;
    still missing after its deadline, the row keeps the passed date (overdue)."""
    from vanguard.indicators.actions import do_submit_observation
    from vanguard.indicators.lights import month_due_date
    from vanguard.indicators.models import Area
    from vanguard.indicators.owed import owed_indicators
    from vanguard.org.access import SYSTEM

    indicator = (
        Indicator.objects.filter(campaign=plan, responsible_unit=tjj).order_by("code").first()
    )
    district = Area.objects.get(campaign=plan, level="district")
    working_days = 10
    october, november = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
    # 3 December: November's figures are due in December, October's were due in November.
    today = datetime.date(2026, 12, 3)

    def due_of(day):
        rows = owed_indicators(plan, tjj, office_clerk, today=day)
        return next(row.due for row in rows if row.label == indicator.name)

    assert due_of(today) == month_due_date(november, working_days)
    do_submit_observation(
        indicator, district, november, actor=SYSTEM, level=100, growth_pct=5, today=today
    )
    assert due_of(today) == month_due_date(datetime.date(2026, 12, 1), working_days)

    # Late in November, October's figure not filed: its passed deadline stands.
    late = month_due_date(october, working_days) + datetime.timedelta(days=3)
    assert due_of(late) == month_due_date(october, working_days)


def test_the_unit_page_shows_the_list_grouped_by_battle_in_chinese(
    login, fgj_projects, fgj, fgj_reporter
):
    content = login(fgj_reporter).get("/org/units/fgj/").content.decode()

    assert 'id="owed"' in content
    assert "重大项目" in content
    assert content.index("XHA-0200") < content.index("XHA-0100")  # red first
    assert "数据截至" in content and "亮灯截至" in content


@pytest.mark.parametrize("who", ["office_clerk", "leader", "projects_member"])
def test_those_who_see_every_unit_see_its_list(request, login, fgj_projects, fgj, who):
    content = login(request.getfixturevalue(who)).get("/org/units/fgj/").content.decode()
    assert "XHA-0200" in content


def test_a_reporter_of_another_unit_and_the_inspector_get_404(
    login, client, fgj_projects, fgj, hdjd_reporter, inspector
):
    for user in (hdjd_reporter, inspector):
        client.logout()
        response = login(user).get("/org/units/fgj/")
        assert response.status_code == 404
        assert "XHA-0200" not in response.content.decode()
    assert unit_owed(fgj_projects[0].campaign, fgj, hdjd_reporter) == []
    assert unit_owed(fgj_projects[0].campaign, fgj, inspector) == []


def _bearer(user):
    from vanguard.accounts.tokens import do_create_token

    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}


def test_the_api_lists_the_same_rows_paginated_and_scoped(
    client, fgj_projects, fgj, fgj_reporter, hdjd_reporter, inspector
):
    answer = client.get("/api/v1/units/fgj/owed", **_bearer(fgj_reporter))
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    assert [item["light"] for item in body["items"]] == [Light.RED, Light.GREEN]
    assert body["items"][0]["battle"] == Battle.PROJECTS
    assert (
        client.get("/api/v1/units/fgj/owed?page_size=1", **_bearer(fgj_reporter))
        .json()["items"][0]["label"]
        .startswith("XHA-0200")
    )
    for user in (hdjd_reporter, inspector):
        assert client.get("/api/v1/units/fgj/owed", **_bearer(user)).status_code == 404


def test_a_registered_provider_feeds_the_page_and_the_api(
    owed_registry, login, client, fgj_projects, fgj, office_clerk
):
    def orders(campaign, unit, user):
        return [
            Owed(
                kind="test_order",
                label="督办单 1号",
                url="/orders/1/",
                light=Light.RED,
                reason="逾期未办结",
                due=datetime.date(2026, 1, 5),
                battle=Battle.CITYWORK,
            )
        ]

    register_owed("test_order", orders)
    with pytest.raises(ValueError):
        register_owed("test_order", orders)

    content = login(office_clerk).get("/org/units/fgj/").content.decode()
    assert "督办单 1号" in content and "逾期未办结" in content
    # Both red: the earlier due date first.
    assert content.index("督办单 1号") < content.index("XHA-0200")
    items = client.get("/api/v1/units/fgj/owed").json()["items"]
    assert items[0]["kind"] == "test_order"


def test_a_unit_with_a_role_less_account_sees_nothing(db, fgj_projects, fgj):
    nobody = make_person("nobody", "无角色")
    assert unit_owed(fgj_projects[0].campaign, fgj, nobody) == []
