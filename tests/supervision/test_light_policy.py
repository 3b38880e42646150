"""Each campaign sets its own thresholds; changing them changes the lights."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.supervision.conftest import day, light, node
from vanguard.audit.log import history_of
from vanguard.supervision.actions import do_set_light_policy
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import recompute
from vanguard.supervision.models import LightPolicy

TODAY = day("2026-06-10")


def test_a_longer_grace_for_late_stages_turns_a_yellow_project_green(
    make_project, plan, office_clerk
):
    project = make_project(introduced_planned=day("2026-05-01"))  # 40 days late
    recompute(plan, today=TODAY)
    assert light(project).light == Light.YELLOW

    do_set_light_policy(plan, actor=office_clerk, stage_yellow_days=60, reason="放宽")
    recompute(plan, today=TODAY)
    assert light(project).light == Light.GREEN
    assert len(history_of(LightPolicy.objects.get(campaign=plan))) == 1


def test_a_longer_warning_window_turns_a_node_yellow_earlier(make_project, plan, office_clerk):
    project = make_project({"project_approval": day("2026-06-17")})  # 5 working days ahead
    recompute(plan, today=TODAY)
    assert light(node(project, "project_approval")).light == Light.GREEN
    do_set_light_policy(plan, actor=office_clerk, node_warning_working_days=5)
    recompute(plan, today=TODAY)
    assert light(node(project, "project_approval")).light == Light.YELLOW


def test_a_stricter_unit_share_turns_a_yellow_unit_red(make_project, plan, fgj, office_clerk):
    make_project(lead_unit=fgj, introduced_planned=day("2026-01-01"))
    for _ in range(4):
        make_project(lead_unit=fgj, introduced_planned=day("2026-12-01"))
    recompute(plan, today=TODAY)
    assert light(fgj, campaign=plan).light == Light.YELLOW  # 1 red of 5
    do_set_light_policy(plan, actor=office_clerk, unit_red_share=Decimal("0.20"))
    recompute(plan, today=TODAY)
    assert light(fgj, campaign=plan).light == Light.RED


def test_setting_thresholds_recomputes_the_lights_after_commit(
    make_project, plan, office_clerk, django_capture_on_commit_callbacks
):
    make_project({"project_approval": day("2026-01-02")})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        do_set_light_policy(plan, actor=office_clerk, project_red_points=40)
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    "thresholds",
    [
        {"project_yellow_points": 40, "project_red_points": 30},
        {"stage_yellow_days": 100},
        {"unit_red_share": Decimal("1.5")},
    ],
)
def test_thresholds_out_of_order_or_range_are_refused(plan, office_clerk, thresholds):
    with pytest.raises(ValidationError):
        do_set_light_policy(plan, actor=office_clerk, **thresholds)
    assert not LightPolicy.objects.exists()


def test_only_the_office_sets_the_thresholds(plan, projects_member, fgj_reporter):
    for user in (projects_member, fgj_reporter):
        with pytest.raises(PermissionDenied):
            do_set_light_policy(plan, actor=user, stage_red_days=120)
    assert not LightPolicy.objects.exists()


def test_a_target_whose_period_is_over_is_red_when_short_however_little():
    from vanguard.supervision.lights import LightPolicy, pace_light

    policy = LightPolicy()
    assert pace_light(74, 100, policy) == (Light.YELLOW, 26.0)
    assert pace_light(99, 100, policy, closed=True) == (Light.RED, 1.0)
    assert pace_light(100, 100, policy, closed=True) == (Light.GREEN, 0)
