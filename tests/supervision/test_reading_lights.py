"""Pages read lights cheaply, and only for the units the reader may see."""

from tests.supervision.conftest import day
from vanguard.org import access
from vanguard.projects.lights import SubjectKind
from vanguard.projects.models import Project
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import annotate_light, light_counts, lights_for, recompute
from vanguard.supervision.models import LightEvent, LightState

TODAY = day("2026-06-10")


def two_units_projects(make_project, fgj, hdjd):
    red = make_project(lead_unit=fgj, introduced_planned=day("2026-01-01"))
    green = make_project(lead_unit=hdjd, introduced_planned=day("2026-12-01"))
    grey = make_project(lead_unit=hdjd)
    return red, green, grey


def test_a_project_list_gets_each_projects_light_in_one_query(
    make_project, fgj, hdjd, plan, django_assert_num_queries
):
    red, green, grey = two_units_projects(make_project, fgj, hdjd)
    recompute(plan, today=TODAY)
    with django_assert_num_queries(1):
        rows = list(
            annotate_light(Project.objects.filter(campaign=plan), SubjectKind.PROJECT)
            .order_by("code")
            .values_list("code", "light", "light_reason")
        )
    assert rows == [
        (red.code, Light.RED, "stage_far_late"),
        (green.code, Light.GREEN, "on_schedule"),
        (grey.code, Light.GREY, "no_plan"),
    ]
    filtered = annotate_light(Project.objects.all(), SubjectKind.PROJECT).filter(light=Light.RED)
    assert list(filtered) == [red]


def test_lights_for_some_subjects_come_in_one_query(
    make_project, fgj, hdjd, plan, django_assert_num_queries
):
    red, green, _ = two_units_projects(make_project, fgj, hdjd)
    recompute(plan, today=TODAY)
    with django_assert_num_queries(1):
        lights = lights_for(SubjectKind.PROJECT, [red.pk, green.pk])
    assert {pk: s.light for pk, s in lights.items()} == {red.pk: Light.RED, green.pk: Light.GREEN}
    units = lights_for(SubjectKind.UNIT, [fgj.pk, hdjd.pk], campaign=plan)
    assert units[fgj.pk].light == Light.RED
    assert light_counts(plan, SubjectKind.PROJECT) == {
        Light.RED: 1,
        Light.GREEN: 1,
        Light.GREY: 1,
    }


def test_a_reporter_sees_only_the_lights_of_their_own_unit(
    make_project, fgj, hdjd, plan, fgj_reporter, leader
):
    two_units_projects(make_project, fgj, hdjd)
    recompute(plan, today=TODAY)
    seen = access.restrict(LightState.objects.filter(kind=SubjectKind.PROJECT), fgj_reporter)
    assert {s.unit_id for s in seen} == {fgj.pk}
    events = access.restrict(LightEvent.objects.all(), fgj_reporter)
    assert events.exists()
    assert not events.exclude(unit=fgj).exists()
    assert access.restrict(LightState.objects.all(), leader).count() == LightState.objects.count()


def test_a_lights_reason_reads_as_a_sentence_with_its_facts(make_project, fgj, hdjd, plan):
    red, _, _ = two_units_projects(make_project, fgj, hdjd)
    recompute(plan, today=TODAY)
    text = str(lights_for(SubjectKind.PROJECT, [red.pk])[red.pk].reason_text)
    assert "2026-01-01" in text
    assert "{" not in text
