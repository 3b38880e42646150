"""Domains plug their kinds of light into the one engine; it refuses kinds nobody registered.

A test kind stands for a later domain (unit lists, supervision orders, city work): it
registers its rules the way projects and indicators do, and the engine judges, stores,
records and reads its lights without knowing anything else about it.
"""

import pytest
from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import JSONObject

from tests.supervision.conftest import day
from vanguard.projects.lights import SubjectKind
from vanguard.projects.models import Project
from vanguard.supervision import kinds, tasks
from vanguard.supervision.choices import Light
from vanguard.supervision.kinds import LightRules, UnknownKind, register, rules_for
from vanguard.supervision.lights import (
    annotate_light,
    history,
    light_counts,
    lights_for,
    recompute,
    subject_rows,
)
from vanguard.supervision.models import LightState
from vanguard.supervision.reasons import Reason, reason_text

TEST_KIND = "test_plan"
TODAY = day("2026-06-10")


@pytest.fixture
def registry():
    """The engine's registry as the apps left it, restored after the test."""
    before = dict(kinds.KINDS)
    yield kinds.KINDS
    kinds.KINDS.clear()
    kinds.KINDS.update(before)


def judge_plans(campaign, judging):
    """A project has a plan when its introduction is planned: set-based, one query."""
    reason = Case(
        When(introduced_planned__isnull=True, then=Value("unplanned")),
        default=Value("planned"),
        output_field=CharField(),
    )
    return subject_rows(
        Project.objects.filter(campaign=campaign),
        object_id=F("pk"),
        unit=F("lead_unit_id"),
        reason=reason,
        params=JSONObject(code=F("code"), planned=F("introduced_planned")),
    )


TEST_RULES = LightRules(
    label="Test plan",
    judge=judge_plans,
    reasons={
        "unplanned": Reason(Light.RED, "{code} has no planned introduction."),
        "planned": Reason(Light.GREEN, "{code} is planned for {planned}."),
    },
)


def test_a_kind_a_domain_registers_is_judged_stored_and_read_by_the_engine(
    registry, make_project, fgj, hdjd, plan
):
    register(TEST_KIND, TEST_RULES)
    unplanned = make_project(lead_unit=fgj)
    planned = make_project(lead_unit=hdjd, introduced_planned=day("2026-09-01"))

    result = recompute(plan, today=TODAY)

    assert result.count(TEST_KIND, Light.RED) == 1
    assert result.count(TEST_KIND, Light.GREEN) == 1
    states = lights_for(TEST_KIND, [unplanned.pk, planned.pk], campaign=plan)
    assert (states[unplanned.pk].light, states[unplanned.pk].unit) == (Light.RED, fgj)
    assert states[unplanned.pk].reason_text == "{} has no planned introduction.".format(
        unplanned.code
    )
    assert states[planned.pk].reason_text == "{} is planned for 2026-09-01.".format(planned.code)
    assert light_counts(plan, TEST_KIND) == {Light.RED: 1, Light.GREEN: 1}
    rows = annotate_light(Project.objects.filter(pk=planned.pk), TEST_KIND).values("light")
    assert list(rows) == [{"light": Light.GREEN}]
    # The domains' own kinds are judged as before, beside it.
    assert result.count(SubjectKind.PROJECT, Light.GREY) == 1


def test_a_registered_kind_keeps_a_history_and_a_quiet_day_writes_nothing(
    registry, make_project, fgj, plan
):
    register(TEST_KIND, TEST_RULES)
    project = make_project(lead_unit=fgj)
    recompute(plan, today=TODAY)
    assert recompute(plan, today=TODAY).events == 0

    Project.objects.filter(pk=project.pk).update(introduced_planned=day("2026-09-01"))
    recompute(plan, today=day("2026-06-11"))

    changes = [(e.from_light, e.to_light, e.as_of) for e in history(TEST_KIND, project.pk)]
    assert changes == [
        ("", Light.RED, TODAY),
        (Light.RED, Light.GREEN, day("2026-06-11")),
    ]


def test_the_merged_and_nightly_recomputes_judge_a_registered_kind(
    registry, make_project, fgj, plan, django_capture_on_commit_callbacks
):
    register(TEST_KIND, TEST_RULES)
    project = make_project(lead_unit=fgj)

    # What a judged write asks for once it commits: the campaign's merged recompute.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.schedule_recompute([plan.pk])
    assert LightState.objects.get(kind=TEST_KIND, object_id=project.pk).light == Light.RED

    Project.objects.filter(pk=project.pk).update(introduced_planned=day("2026-09-01"))
    tasks.recompute_all_lights.call_local()
    assert LightState.objects.get(kind=TEST_KIND, object_id=project.pk).light == Light.GREEN


def test_a_kind_nobody_registered_is_refused_by_name(plan):
    with pytest.raises(UnknownKind) as refused:
        rules_for("nonesuch")
    message = str(refused.value)
    assert "'nonesuch'" in message
    assert "project" in message and "indicator" in message  # what is registered instead
    for read in (
        lambda: lights_for("nonesuch", [1]),
        lambda: light_counts(plan, "nonesuch"),
        lambda: history("nonesuch", 1),
        lambda: annotate_light(Project.objects.all(), "nonesuch"),
    ):
        with pytest.raises(UnknownKind):
            read()
    # A stored reason of a kind no longer registered still reads, as its code.
    assert reason_text("nonesuch", "overdue", {}) == "overdue"


def test_the_api_refuses_a_kind_nobody_registered(client, leader, plan):
    from vanguard.accounts.tokens import do_create_token

    bearer = {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(leader.username)}
    response = client.get("/api/v1/lights?kind=nonesuch", **bearer)
    assert response.status_code == 422
    assert "kind" in response.content.decode()
    history_response = client.get("/api/v1/lights/nonesuch/1/history", **bearer)
    assert history_response.status_code == 422


def test_rules_that_would_be_judged_wrongly_are_refused_when_registered(registry):
    with pytest.raises(ValueError, match="already registered"):
        register(SubjectKind.PROJECT, TEST_RULES)
    with pytest.raises(ValueError, match="1 to 16 characters"):
        register("a_kind_name_too_long_to_store", TEST_RULES)
    with pytest.raises(ValueError, match="a light among"):
        register(TEST_KIND, LightRules("Test", judge_plans, {"odd": Reason("blue", "Odd.")}))
    with pytest.raises(ValueError, match="must be registered first"):
        register(TEST_KIND, LightRules("Test", judge_plans, TEST_RULES.reasons, reads=("later",)))
    with pytest.raises(TypeError):
        register(TEST_KIND, {"unplanned": TEST_RULES.reasons["unplanned"]})
    assert TEST_KIND not in registry


def test_the_engine_imports_no_domain():
    """Domains import the engine and register with it, never the reverse (0018)."""
    from pathlib import Path

    import vanguard.supervision
    from tests.core.test_leaves import imported_modules

    engine = Path(vanguard.supervision.__file__).resolve().parent
    domains = ("vanguard.projects", "vanguard.indicators", "vanguard.enterprises", "vanguard.lists")
    domains += ("vanguard.citywork", "vanguard.board", "vanguard.plans", "vanguard.demo")
    found = [
        "{}: {}".format(path.relative_to(engine), module)
        for path in sorted(engine.rglob("*.py"))
        for module in imported_modules(path)
        if module.startswith(domains)
    ]
    assert found == []
