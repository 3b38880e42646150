"""Pace: where a target should stand on a day, and how far behind the actual figure is."""

from datetime import date
from decimal import Decimal

import pytest

from vanguard.org.models import Campaign, TaskForce
from vanguard.targets.models import Checkpoint, Target
from vanguard.targets.pace import expected_at, pace_report
from vanguard.targets.trajectory import plan_checkpoints


def year_target(value=365, kind="count"):
    """An unsaved year target of 2026."""
    return Target(
        code="t",
        kind=kind,
        value=None if value is None else Decimal(value),
        period="2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )


def test_a_count_target_is_expected_to_be_part_way_mid_period():
    assert expected_at(year_target(365), date(2026, 7, 2)) == Decimal("183.00")


def test_nothing_is_expected_before_the_period_and_everything_after_it():
    target = year_target(365)

    assert expected_at(target, date(2025, 12, 31)) == 0
    assert expected_at(target, date(2027, 2, 1)) == 365


def test_a_growth_target_expects_its_rate_from_its_first_day():
    target = year_target("6.5", kind="growth")

    assert expected_at(target, date(2025, 12, 31)) is None
    assert expected_at(target, date(2026, 1, 1)) == Decimal("6.50")
    assert expected_at(target, date(2026, 8, 1)) == Decimal("6.50")


def test_a_relative_target_has_no_expected_value():
    assert expected_at(year_target(None, kind="relative"), date(2026, 6, 1)) is None


def test_pace_report_names_the_gap_when_behind():
    report = pace_report(year_target(365), 150, date(2026, 7, 2))

    assert report.expected == Decimal("183.00")
    assert report.gap == Decimal("33.00")
    assert report.behind
    assert report.ratio == Decimal("0.8197")


def test_pace_report_shows_a_negative_gap_when_ahead():
    report = pace_report(year_target(365), 200, date(2026, 7, 2))

    assert report.gap == Decimal("-17.00")
    assert not report.behind


def test_pace_report_without_an_actual_figure_has_no_gap():
    report = pace_report(year_target(365), None, date(2026, 7, 2))

    assert (report.expected, report.gap, report.ratio) == (Decimal("183.00"), None, None)


@pytest.mark.django_db
def test_a_saved_target_follows_its_stored_checkpoints():
    campaign = Campaign.objects.create(
        code="c", name="c", year=2026, start_date=date(2026, 1, 17), end_date=date(2026, 12, 31)
    )
    force = TaskForce.objects.create(
        campaign=campaign, battle="projects", name="重大项目攻坚专班", cadence="dekad"
    )
    target = Target.objects.create(
        campaign=campaign,
        task_force=force,
        code="introduced",
        battle="projects",
        name="全年洽谈引进投资亿元以上重大项目",
        period="2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        kind="count",
        measure="projects.introduced.size_1e8",
        value=Decimal(230),
    )
    Checkpoint.objects.bulk_create(
        Checkpoint(
            target=target,
            period_kind=c.period_kind,
            period=c.label,
            end_date=c.end_date,
            value=c.value,
        )
        for c in plan_checkpoints(
            kind="count",
            start=target.period_start,
            end=target.period_end,
            value=target.value,
            pins={"2026-Q1": Decimal(100)},
        )
    )
    target = Target.objects.prefetch_related("checkpoints").get(pk=target.pk)

    # 31 March is pinned at 100; 15 February lies between 34.44 (31 Jan) and 65.56 (28 Feb).
    assert expected_at(target, date(2026, 3, 31)) == Decimal("100.00")
    assert expected_at(target, date(2026, 2, 15)) == Decimal("51.11")
    assert expected_at(target, date(2026, 12, 31)) == Decimal("230.00")
