"""Case lights judged as of a past day, and left out of the bulletin's lights."""

import datetime

import pytest
from django.utils import timezone

from tests.citywork.cases_world import HERE, category
from vanguard.citywork.actions import cases as actions
from vanguard.citywork.lights import CASE
from vanguard.citywork.models import Case
from vanguard.citywork.models.cases import CaseSource
from vanguard.supervision.bulletins.facts import counted_kinds
from vanguard.supervision.lights import lights_for, recompute

pytestmark = pytest.mark.django_db


def _dispatched(cast):
    tf = cast["tf_citywork"]
    case = actions.do_report_case(
        campaign=cast["campaign"],
        source=CaseSource.PATROL,
        category=category("exposed-garbage"),
        lon=HERE[0],
        lat=HERE[1],
        description="路边垃圾堆放",
        actor=tf,
    )
    return actions.do_dispatch(case, actor=tf)


def test_a_past_day_lights_the_cases_open_then_by_their_clock_then(cast, grid):
    case = _dispatched(cast)
    ten_days_ago = timezone.localdate() - datetime.timedelta(days=10)
    # Dispatched twelve days ago with a time limit of a week, closed yesterday.
    dispatched = timezone.now() - datetime.timedelta(days=12)
    Case.objects.filter(pk=case.pk).update(
        dispatched_at=dispatched,
        warn_at=dispatched + datetime.timedelta(days=5),
        due_at=dispatched + datetime.timedelta(days=7),
        state="closed",
        closed_at=timezone.now() - datetime.timedelta(days=1),
    )
    recompute(cast["campaign"], ten_days_ago)
    assert lights_for(CASE, [case.pk], campaign=cast["campaign"])[case.pk].light == "green"
    recompute(cast["campaign"], ten_days_ago + datetime.timedelta(days=6))
    assert lights_for(CASE, [case.pk], campaign=cast["campaign"])[case.pk].light == "red"
    # Closed by today: no light any more.
    recompute(cast["campaign"])
    assert lights_for(CASE, [case.pk], campaign=cast["campaign"]) == {}


def test_a_case_dispatched_after_the_day_judged_has_no_light_that_day(cast, grid):
    case = _dispatched(cast)
    recompute(cast["campaign"], timezone.localdate() - datetime.timedelta(days=1))
    assert lights_for(CASE, [case.pk], campaign=cast["campaign"]) == {}
    recompute(cast["campaign"])
    assert lights_for(CASE, [case.pk], campaign=cast["campaign"])[case.pk].light == "green"


def test_the_bulletin_counts_cases_by_their_own_facts_and_the_ladder_leaves_them_alone():
    from vanguard.supervision.kinds import escalated_kinds

    assert CASE not in counted_kinds() and "project" in counted_kinds()
    assert CASE not in escalated_kinds() and "project" in escalated_kinds()
