"""Entering and revising observations: versions, validation and who may enter them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.indicators.conftest import OCTOBER, SEPTEMBER, TODAY
from vanguard.audit.log import history_of, verify_chain
from vanguard.indicators.actions import (
    StaleObservation,
    do_link_responsible_units,
    do_submit_observation,
)
from vanguard.indicators.models import Indicator, Observation
from vanguard.org.access import SYSTEM

pytestmark = pytest.mark.django_db


def submit(indicator, area, month, actor, **figures):
    return do_submit_observation(indicator, area, month, actor=actor, today=TODAY, **figures)


def field_errors(caught):
    return caught.value.message_dict


def test_a_reporter_of_the_statistics_bureau_records_a_months_figures(
    indicator, area, tjj_reporter
):
    done = submit(
        indicator("retail_sales"), area("district"), OCTOBER, tjj_reporter,
        level=Decimal("812.4"), growth_pct=Decimal("5.1"),
    )  # fmt: skip

    observation = done.observation
    assert done.created
    assert (observation.version, observation.is_current) == (1, True)
    assert observation.level == Decimal("812.40")
    assert observation.cumulative_label == "1-10月"
    assert observation.recorded_by == tjj_reporter
    assert [e.action for e in history_of(observation)] == ["create"]


def test_a_revision_names_the_version_it_revises_and_keeps_the_old_figure(
    indicator, area, tjj_reporter, indicators_member
):
    retail, district = indicator("retail_sales"), area("district")
    first = submit(retail, district, OCTOBER, tjj_reporter, level=800, growth_pct=5).observation

    done = submit(
        retail, district, OCTOBER, indicators_member,
        level=812, growth_pct=Decimal("5.3"), revises=1, reason="统计局修订",
    )  # fmt: skip

    first.refresh_from_db()
    assert not first.is_current
    revision = done.observation
    assert (revision.version, revision.supersedes, revision.reason) == (2, first, "统计局修订")
    rows = Observation.objects.filter(indicator=retail, area=district, month=OCTOBER)
    assert [(o.version, o.growth_pct, o.is_current) for o in rows.order_by("version")] == [
        (1, Decimal("5.00"), False),
        (2, Decimal("5.30"), True),
    ]
    assert [e.action for e in history_of(first)] == ["update", "create"]
    [entry] = history_of(revision)
    assert entry.reason == "统计局修订"
    assert verify_chain().ok


def test_a_revision_of_a_version_someone_else_already_revised_is_refused(
    indicator, area, tjj_reporter, indicators_member
):
    retail, district = indicator("retail_sales"), area("district")
    submit(retail, district, OCTOBER, tjj_reporter, growth_pct=5, level=800)
    # Both open version 1; the task force saves first.
    submit(retail, district, OCTOBER, indicators_member, growth_pct=6, level=800, revises=1)

    with pytest.raises(StaleObservation, match="第 2 版|version 2"):
        submit(retail, district, OCTOBER, tjj_reporter, growth_pct=7, level=800, revises=1)

    current = Observation.objects.current().get(indicator=retail, area=district, month=OCTOBER)
    assert current.growth_pct == Decimal("6.00")
    assert Observation.objects.filter(indicator=retail).count() == 2


def test_a_second_figure_without_naming_a_version_is_refused(indicator, area, tjj_reporter):
    retail, district = indicator("retail_sales"), area("district")
    submit(retail, district, OCTOBER, tjj_reporter, growth_pct=5, level=800)

    with pytest.raises(StaleObservation):
        submit(retail, district, OCTOBER, tjj_reporter, growth_pct=9, level=800)
    assert Observation.objects.count() == 1


def test_the_same_figures_again_change_nothing(indicator, area, tjj_reporter):
    retail, district = indicator("retail_sales"), area("district")
    submit(retail, district, OCTOBER, tjj_reporter, growth_pct=5, level=800)

    done = submit(retail, district, OCTOBER, tjj_reporter, growth_pct="5.00", level=800, revises=1)

    assert not done.created
    assert Observation.objects.count() == 1


@pytest.mark.parametrize(
    ("month", "says"),
    [
        (datetime.date(2026, 11, 1), "not over yet"),
        (datetime.date(2026, 12, 1), "not over yet"),
        (datetime.date(2024, 12, 1), "campaign year"),
    ],
)
def test_a_month_not_yet_over_or_outside_the_year_is_refused(
    indicator, area, tjj_reporter, month, says
):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        submit(indicator("retail_sales"), area("district"), month, tjj_reporter, growth_pct=5)
    assert says in field_errors(caught)["month"][0]
    assert not Observation.objects.exists()


def test_the_refusal_is_in_chinese_by_default(indicator, area, tjj_reporter):
    with pytest.raises(ValidationError) as caught:
        submit(
            indicator("retail_sales"),
            area("district"),
            datetime.date(2026, 11, 1),
            tjj_reporter,
            growth_pct=5,
        )
    assert "尚未结束" in field_errors(caught)["month"][0]


def test_a_quarterly_indicator_takes_quarter_end_months_only(indicator, area, tjj_reporter):
    gdp, district = indicator("gdp"), area("district")

    with pytest.raises(ValidationError) as caught:
        submit(gdp, district, OCTOBER, tjj_reporter, level=3900, growth_pct="6.1")
    assert "季" in field_errors(caught)["month"][0]

    assert submit(gdp, district, SEPTEMBER, tjj_reporter, level=3650, growth_pct="6.1").created


def test_a_growth_only_indicator_refuses_a_level(indicator, area, tjj_reporter):
    with pytest.raises(ValidationError) as caught:
        submit(
            indicator("industrial_value_added"), area("district"), OCTOBER, tjj_reporter,
            level=Decimal("7.2"), growth_pct=Decimal("7.2"),
        )  # fmt: skip
    assert "增速" in field_errors(caught)["level"][0]


def test_a_growth_rate_typed_as_a_level_is_refused_against_the_months_before(
    indicator, area, tjj_reporter
):
    retail, district = indicator("retail_sales"), area("district")
    submit(retail, district, SEPTEMBER, tjj_reporter, level=730, growth_pct="5.0")

    with pytest.raises(ValidationError) as caught:
        submit(retail, district, OCTOBER, tjj_reporter, level="5.2", growth_pct="5.2")

    message = field_errors(caught)["level"][0]
    assert "730" in message and "1-9月" in message
    assert Observation.objects.count() == 1


@pytest.mark.parametrize(
    ("figures", "field"),
    [
        ({"level": -5, "growth_pct": 1}, "level"),
        ({"level": 0, "growth_pct": 1}, "level"),
        ({"level": 800, "growth_pct": -101}, "growth_pct"),
        ({}, "growth_pct"),
    ],
)
def test_impossible_figures_are_refused_naming_the_field(
    indicator, area, tjj_reporter, figures, field
):
    with pytest.raises(ValidationError) as caught:
        submit(indicator("retail_sales"), area("district"), OCTOBER, tjj_reporter, **figures)
    assert field in field_errors(caught)


def test_a_reporter_of_another_unit_cannot_enter_figures(indicator, area, fgj_reporter):
    with pytest.raises(PermissionDenied, match="区统计局"):
        submit(indicator("retail_sales"), area("district"), OCTOBER, fgj_reporter, growth_pct=5)
    assert not Observation.objects.exists()


def test_the_office_and_the_task_force_may_enter_any_indicator_a_leader_none(
    indicator, area, office_clerk, indicators_member, leader
):
    retail = indicator("retail_sales")
    assert submit(retail, area("city"), OCTOBER, office_clerk, growth_pct="4.2").created
    assert submit(retail, area("province"), OCTOBER, indicators_member, growth_pct="4.6").created
    with pytest.raises(PermissionDenied):
        submit(retail, area("district"), OCTOBER, leader, growth_pct=5)


def test_responsible_units_created_after_the_plan_are_linked(db, tjj):
    from django.core.management import call_command

    from tests.indicators.conftest import WEST_COAST_PLAN

    tjj.name = "统计局（旧名）"
    tjj.save()
    call_command("loadplan", str(WEST_COAST_PLAN), verbosity=0)
    assert Indicator.objects.filter(responsible_unit__isnull=True).count() == 7
    tjj.name = "区统计局"
    tjj.save()

    campaign = Indicator.objects.first().campaign
    assert do_link_responsible_units(campaign, actor=SYSTEM) == 7
    assert set(Indicator.objects.values_list("responsible_unit", flat=True)) == {tjj.pk}
