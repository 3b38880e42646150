"""Every change of light is one event row; the history reads from those rows."""

from tests.supervision.conftest import day, light, node, plan_nodes
from vanguard.projects.choices import Stage
from vanguard.projects.lights import SubjectKind
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import history, recompute
from vanguard.supervision.models import LightEvent


def test_a_change_of_light_writes_exactly_one_event_and_recomputing_again_writes_none(
    make_project,
):
    project = make_project({"project_approval": day("2026-03-20")})
    first = recompute(project.campaign, today=day("2026-03-18"))
    # Every subject's first light is an event: 7 nodes, the project, its unit, and the
    # plan's 7 indicators (their February figures are missing).
    assert first.events == 9 + 7
    assert recompute(project.campaign, today=day("2026-03-18")).events == 0
    assert recompute(project.campaign, today=day("2026-03-19")).events == 0  # still yellow

    changed = recompute(project.campaign, today=day("2026-03-21"))

    milestone = node(project, "project_approval")
    # The node went red, so did its project and the unit: one event each.
    assert changed.events == 3
    events = LightEvent.objects.filter(kind=SubjectKind.MILESTONE, object_id=milestone.pk)
    assert [(e.from_light, e.to_light) for e in events] == [
        ("", Light.YELLOW),
        (Light.YELLOW, Light.RED),
    ]
    assert recompute(project.campaign, today=day("2026-03-22")).events == 0


def test_the_history_shows_red_in_may_then_yellow_after_catching_up_in_june(
    make_project, fgj_reporter, certify
):
    project = make_project({"land_use": day("2026-05-10")}, introduced_planned=day("2026-04-15"))
    recompute(project.campaign, today=day("2026-05-20"))  # the land-use node is overdue
    certify(
        project,
        fgj_reporter,
        today=day("2026-06-10"),
        node_dates={"land_use": day("2026-06-05")},
    )
    recompute(project.campaign, today=day("2026-06-10"))  # introduction still 56 days late
    certify(
        project,
        fgj_reporter,
        today=day("2026-07-02"),
        stage_reached=Stage.INTRODUCED,
        stage_date=day("2026-07-01"),
    )
    recompute(project.campaign, today=day("2026-07-02"))

    steps = [(e.from_light, e.to_light, e.as_of, e.reason) for e in history("project", project.pk)]
    assert steps == [
        ("", Light.RED, day("2026-05-20"), "red_nodes"),
        (Light.RED, Light.YELLOW, day("2026-06-10"), "stage_late"),
        (Light.YELLOW, Light.GREEN, day("2026-07-02"), "on_schedule"),
    ]
    state = light(project)
    assert state.since_date == day("2026-07-02")


def test_the_light_keeps_its_start_date_while_its_reason_changes(make_project, office_clerk):
    project = make_project(
        {"project_approval": day("2026-05-01")}, introduced_planned=day("2026-01-02")
    )
    recompute(project.campaign, today=day("2026-05-20"))
    assert light(project).reason == "red_nodes"
    plan_nodes(project, office_clerk, project_approval=day("2026-08-01"))
    recompute(project.campaign, today=day("2026-05-21"))
    state = light(project)
    assert (state.light, state.reason) == (Light.RED, "stage_far_late")
    assert state.since_date == day("2026-05-20")
    assert history("project", project.pk).count() == 1


def test_a_deleted_project_loses_its_lights_but_keeps_its_history(make_project):
    from vanguard.projects.models import Project
    from vanguard.supervision.models import LightState

    project = make_project({"project_approval": day("2026-05-01")})
    recompute(project.campaign, today=day("2026-05-20"))
    Project.objects.filter(pk=project.pk).delete()
    recompute(project.campaign, today=day("2026-05-20"))
    assert not LightState.objects.filter(kind="project", object_id=project.pk).exists()
    assert not LightState.objects.filter(kind="milestone").exists()
    assert history("project", project.pk).count() == 1


def test_a_project_deleted_while_another_is_added_loses_its_lights(make_project):
    from vanguard.projects.models import Project
    from vanguard.supervision.models import LightState

    gone = make_project({"project_approval": day("2026-05-01")})
    recompute(gone.campaign, today=day("2026-05-20"))
    Project.objects.filter(pk=gone.pk).delete()
    added = make_project({"project_approval": day("2026-05-01")})
    recompute(added.campaign, today=day("2026-05-20"))
    assert not LightState.objects.filter(kind="project", object_id=gone.pk).exists()
    assert LightState.objects.filter(kind="project", object_id=added.pk).exists()
    assert LightState.objects.filter(kind="milestone").count() == added.milestones.count()
