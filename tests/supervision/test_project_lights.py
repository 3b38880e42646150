"""Project lights: behind the schedule to date, stages late, red nodes."""

import datetime

import pytest

from tests.supervision.conftest import NODES, day, light
from vanguard.projects.choices import Stage
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import recompute

TODAY = day("2026-06-10")
PAST = day("2026-05-20")


def nodes_planned(*, done_before=0, due_today=0, later=0):
    """Plans for the first key nodes: some in the past, some due today, some later."""
    dates = [PAST] * done_before + [TODAY] * due_today + [day("2026-09-01")] * later
    return dict(zip(NODES, dates, strict=False))


def certify_done(project, reporter, certify, codes):
    certify(project, reporter, today=TODAY, node_dates=dict.fromkeys(codes, PAST))


def test_a_project_on_schedule_is_green(make_project, fgj_reporter, certify):
    project = make_project(nodes_planned(done_before=2, later=5))
    certify_done(project, fgj_reporter, certify, NODES[:2])
    recompute(project.campaign, today=TODAY)
    state = light(project)
    assert (state.light, state.reason) == (Light.GREEN, "on_schedule")
    assert state.params["points_behind"] == 0


@pytest.mark.parametrize("due_today", [1, 2])
def test_a_project_10_to_30_points_behind_its_schedule_is_yellow(
    make_project, fgj_reporter, certify, due_today
):
    # 7 nodes, 2 done on time and 1 or 2 due today and not done: 14 or 28 points behind.
    project = make_project(nodes_planned(done_before=2, due_today=due_today, later=5 - due_today))
    certify_done(project, fgj_reporter, certify, NODES[:2])
    recompute(project.campaign, today=TODAY)
    state = light(project)
    assert (state.light, state.reason) == (Light.YELLOW, "behind_schedule")
    assert state.params["points_behind"] == 100 * due_today // 7


def test_a_project_more_than_30_points_behind_is_red(make_project, fgj_reporter, certify):
    project = make_project(nodes_planned(done_before=2, due_today=3, later=2))
    certify_done(project, fgj_reporter, certify, NODES[:2])
    recompute(project.campaign, today=TODAY)
    state = light(project)
    assert (state.light, state.reason) == (Light.RED, "far_behind_schedule")
    assert state.params["points_behind"] == 42


def test_a_node_done_early_makes_up_for_one_due_today(make_project, fgj_reporter, certify):
    project = make_project(nodes_planned(due_today=1, later=6))
    certify_done(project, fgj_reporter, certify, [NODES[1]])  # planned for September
    recompute(project.campaign, today=TODAY)
    assert light(project).light == Light.GREEN


def test_a_project_with_an_overdue_node_is_red(make_project):
    project = make_project(nodes_planned(done_before=1, later=6))
    recompute(project.campaign, today=TODAY)
    state = light(project)
    assert (state.light, state.reason) == (Light.RED, "red_nodes")
    assert state.params["red_nodes"] == 1


@pytest.mark.parametrize(
    "days_late, expected, reason",
    [
        (29, Light.GREEN, "on_schedule"),
        (30, Light.YELLOW, "stage_late"),
        (89, Light.YELLOW, "stage_late"),
        (90, Light.RED, "stage_far_late"),
    ],
)
def test_a_stage_a_month_late_is_yellow_and_three_months_late_is_red(
    make_project, days_late, expected, reason
):
    project = make_project(introduced_planned=TODAY - datetime.timedelta(days=days_late))
    recompute(project.campaign, today=TODAY)
    state = light(project)
    assert (state.light, state.reason) == (expected, reason)
    assert state.params["stage"] == Stage.INTRODUCED


def test_a_stage_reached_is_no_longer_late_but_the_next_one_may_be(
    make_project, fgj_reporter, certify
):
    project = make_project(introduced_planned=day("2026-01-20"), started_planned=day("2026-05-01"))
    recompute(project.campaign, today=TODAY)
    assert light(project).light == Light.RED  # introduction 141 days late
    certify(
        project,
        fgj_reporter,
        today=TODAY,
        stage_reached=Stage.INTRODUCED,
        stage_date=day("2026-06-01"),
    )
    recompute(project.campaign, today=TODAY)
    state = light(project)
    assert (state.light, state.reason) == (Light.YELLOW, "stage_late")
    assert state.params["stage"] == Stage.STARTED


def test_a_stage_without_a_plan_is_skipped_for_the_next_planned_one(make_project):
    project = make_project(started_planned=day("2026-01-01"))
    recompute(project.campaign, today=TODAY)
    state = light(project)
    assert (state.light, state.params["stage"]) == (Light.RED, Stage.STARTED)


def test_a_project_with_nothing_planned_is_grey(make_project):
    project = make_project()
    recompute(project.campaign, today=TODAY)
    assert light(project).light == Light.GREY


def test_the_red_node_wins_over_a_stage_only_a_little_late(make_project):
    project = make_project(
        {"project_approval": day("2026-06-01")}, introduced_planned=day("2026-05-01")
    )
    recompute(project.campaign, today=TODAY)
    state = light(project)
    assert (state.light, state.reason) == (Light.RED, "red_nodes")
    assert str(state.reason_text)
