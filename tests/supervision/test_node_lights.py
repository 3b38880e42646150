"""Key-node lights: yellow a few working days ahead, red when overdue, green once done."""

import datetime

from tests.supervision.conftest import day, light, node
from vanguard.projects.choices import MilestoneState
from vanguard.projects.models import Milestone
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import recompute, warning_date


def test_a_node_due_within_three_working_days_across_national_day_is_yellow(make_project):
    # Sept 30 is followed by the National Day holiday (Oct 1-7); Oct 8, 9 and the
    # make-up Saturday Oct 10 are the next three working days.
    project = make_project({"project_approval": day("2026-10-10"), "land_use": day("2026-10-12")})
    recompute(project.campaign, today=day("2026-09-30"))
    assert light(node(project, "project_approval")).light == Light.YELLOW
    assert light(node(project, "project_approval")).reason == "due_soon"
    assert light(node(project, "land_use")).light == Light.GREEN


def test_a_node_twelve_days_ahead_is_yellow_when_spring_festival_lies_between(make_project):
    # From Friday Feb 13: Saturday Feb 14 is a make-up working day, then the festival
    # runs to Feb 23, so the third working day is Feb 25.
    project = make_project({"project_approval": day("2026-02-25"), "land_use": day("2026-02-26")})
    recompute(project.campaign, today=day("2026-02-13"))
    assert light(node(project, "project_approval")).light == Light.YELLOW
    assert light(node(project, "land_use")).light == Light.GREEN


def test_a_node_due_today_is_yellow_and_the_day_after_it_is_red(make_project):
    project = make_project({"project_approval": day("2026-03-18")})
    recompute(project.campaign, today=day("2026-03-18"))
    assert light(node(project, "project_approval")).light == Light.YELLOW
    recompute(project.campaign, today=day("2026-03-19"))
    state = light(node(project, "project_approval"))
    assert state.light == Light.RED
    assert state.reason == "overdue"
    assert state.params["planned"] == "2026-03-18"


def test_a_node_turns_green_once_its_date_is_certified(make_project, fgj_reporter, certify):
    project = make_project({"project_approval": day("2026-03-02")})
    recompute(project.campaign, today=day("2026-03-05"))
    assert light(node(project, "project_approval")).light == Light.RED

    certify(
        project,
        fgj_reporter,
        today=day("2026-03-05"),
        node_dates={"project_approval": day("2026-03-04")},
    )
    recompute(project.campaign, today=day("2026-03-05"))

    state = light(node(project, "project_approval"))
    assert state.light == Light.GREEN
    assert state.reason == "done"
    assert state.params["actual"] == "2026-03-04"


def test_a_reported_but_uncertified_node_date_does_not_change_the_light(make_project, fgj_reporter):
    from vanguard.projects.actions import do_submit_report

    project = make_project({"project_approval": day("2026-03-02")})
    do_submit_report(
        project,
        actor=fgj_reporter,
        progress="已立项",
        node_dates={"project_approval": day("2026-03-04")},
        today=day("2026-03-05"),
    )
    recompute(project.campaign, today=day("2026-03-05"))
    assert light(node(project, "project_approval")).light == Light.RED


def test_a_node_without_a_planned_date_is_grey_and_one_not_needed_is_green(make_project):
    project = make_project({"project_approval": day("2026-01-20")})
    # No action marks a node not needed yet; the state is set directly here.
    Milestone.objects.filter(project=project, node__code="project_approval").update(
        state=MilestoneState.NOT_NEEDED
    )
    recompute(project.campaign, today=day("2026-03-05"))
    assert light(node(project, "project_approval")).light == Light.GREEN
    assert light(node(project, "land_use")).light == Light.GREY


def test_the_warning_window_counts_provisionally_in_a_year_the_calendar_does_not_know(db):
    # 2027's holidays are not entered: the calendar's provisional count (weekdays but
    # the fixed New Year's Day) goes on rather than stopping the nightly recompute.
    assert warning_date(datetime.date(2026, 12, 30), 3) == datetime.date(2027, 1, 5)
    assert warning_date(datetime.date(2026, 12, 30), 0) == datetime.date(2026, 12, 30)
