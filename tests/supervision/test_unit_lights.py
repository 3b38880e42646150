"""A unit's light rolls up from the lights of the projects it leads."""

from tests.supervision.conftest import day, light
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import recompute

TODAY = day("2026-06-10")
LATE = day("2026-01-01")  # a planned introduction more than three months ago
LATER = day("2026-12-01")


def projects_of(make_project, unit, *, red=0, green=0, grey=0):
    for _ in range(red):
        make_project(lead_unit=unit, introduced_planned=LATE)
    for _ in range(green):
        make_project(lead_unit=unit, introduced_planned=LATER)
    for _ in range(grey):
        make_project(lead_unit=unit)


def test_a_unit_with_a_third_of_its_projects_red_is_red(make_project, fgj, plan):
    projects_of(make_project, fgj, red=1, green=2)
    recompute(plan, today=TODAY)
    state = light(fgj, campaign=plan)
    assert (state.light, state.reason) == (Light.RED, "red_share")
    assert state.params == {"red": 1, "yellow": 0, "green": 2, "judged": 3, "lagging": 1}


def test_a_unit_with_one_red_project_among_many_green_ones_is_yellow(make_project, fgj, plan):
    projects_of(make_project, fgj, red=1, green=4)
    recompute(plan, today=TODAY)
    state = light(fgj, campaign=plan)
    assert (state.light, state.reason) == (Light.YELLOW, "has_red")


def test_a_unit_with_many_yellow_projects_is_yellow(make_project, fgj, plan):
    for _ in range(2):
        make_project(lead_unit=fgj, introduced_planned=day("2026-05-01"))  # 40 days late
    projects_of(make_project, fgj, green=3)
    recompute(plan, today=TODAY)
    state = light(fgj, campaign=plan)
    assert (state.light, state.reason) == (Light.YELLOW, "lagging_share")


def test_a_unit_whose_projects_are_on_schedule_is_green_and_grey_ones_do_not_count(
    make_project, fgj, hdjd, plan
):
    projects_of(make_project, fgj, green=2, grey=3)
    projects_of(make_project, hdjd, grey=1)
    recompute(plan, today=TODAY)
    assert light(fgj, campaign=plan).light == Light.GREEN
    assert light(hdjd, campaign=plan).light == Light.GREY


def test_a_unit_follows_a_project_handed_over_to_another_lead_unit(
    make_project, fgj, hdjd, plan, office_clerk
):
    from vanguard.projects.actions import do_update_project

    red = make_project(lead_unit=fgj, introduced_planned=LATE)
    projects_of(make_project, hdjd, green=1)
    recompute(plan, today=TODAY)
    assert light(hdjd, campaign=plan).light == Light.GREEN

    do_update_project(red, actor=office_clerk, lead_unit=hdjd)
    recompute(plan, today=TODAY)
    assert light(hdjd, campaign=plan).light == Light.RED
    assert not _has_light(fgj, plan)  # it leads no project in the campaign any more


def _has_light(unit, campaign):
    from vanguard.supervision.models import LightState

    return LightState.objects.filter(kind="unit", object_id=unit.pk, campaign=campaign).exists()
