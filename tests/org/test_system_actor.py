"""One rule for who acts: a user at a door, or SYSTEM; never None (docs/decisions/0016).

SYSTEM is the command line, the demo, a plan load and scheduled jobs: it passes every
access rule and the change log names it "system". ``None`` is no actor: every action
refuses it and writes nothing, so a door that lost its user cannot pass as the system.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from tests.conftest import make_person
from tests.plans.conftest import SMALL_PLAN
from vanguard.accounts.tokens import do_create_token
from vanguard.audit.models import ChangeEntry
from vanguard.org.access import SYSTEM
from vanguard.org.actions import do_assign_role, do_create_person, do_create_unit
from vanguard.org.choices import Role, UnitKind
from vanguard.org.models import Campaign, Unit
from vanguard.plans.loader import load_plan
from vanguard.projects.actions import do_certify_reports, do_create_project, do_submit_report
from vanguard.projects.models import Project
from vanguard.supervision.actions import do_set_light_policy


def _project(campaign, fgj):
    return do_create_project(
        campaign=campaign, code="XHA-0001", name="海洋装备产业园", lead_unit=fgj,
        investment_yuan=100_000_000, actor=SYSTEM,
    )  # fmt: skip


def _nothing_logged():
    return not ChangeEntry.objects.exists()


@pytest.fixture
def refusals(campaign, fgj):
    """Every action, as a door that lost its user would call it: with actor=None."""
    from vanguard.blockers.actions import (
        do_dispatch_blocker,
        do_follow_up_blocker,
        do_resolve_blocker,
    )
    from vanguard.enterprises.actions import do_record_visit
    from vanguard.indicators.actions import do_link_responsible_units, do_submit_observation

    project = SimpleNamespace(lead_unit_id=fgj.pk, lead_unit=fgj, code="XHA-0001", pk=1)
    problem = SimpleNamespace(battle="projects", unit_id=fgj.pk, pk=1)
    indicator = SimpleNamespace(responsible_unit_id=fgj.pk, responsible_unit_name="", name="")
    enterprise = SimpleNamespace(serving_unit_id=fgj.pk, serving_unit=fgj, name="企业")
    return {
        "create a unit": lambda: do_create_unit(code="x", name="新单位", kind=UnitKind.OTHER,
                                                actor=None),
        "create a person": lambda: do_create_person(username="x", name="某人", actor=None),
        "assign a role": lambda: do_assign_role(
            make_person("someone", "某人"), Role.LEADER, actor=None
        ),
        "load a plan": lambda: load_plan(SMALL_PLAN, actor=None),
        "set the lights' thresholds": lambda: do_set_light_policy(
            campaign, actor=None, stage_red_days=120
        ),
        "create a project": lambda: do_create_project(
            campaign=campaign, code="X", name="x", lead_unit=fgj, investment_yuan=1, actor=None
        ),
        "file a report": lambda: do_submit_report(project, actor=None, progress="施工"),
        "certify reports": lambda: do_certify_reports([], actor=None),
        "enter a figure": lambda: do_submit_observation(
            indicator, None, datetime.date(2026, 10, 1), actor=None, growth_pct=6
        ),
        "link responsible units": lambda: do_link_responsible_units(campaign, actor=None),
        "record a visit": lambda: do_record_visit(
            enterprise, visited_on=datetime.date(2026, 3, 1), visitors="走访组", actor=None
        ),
        "dispatch a problem": lambda: do_dispatch_blocker(problem, unit=fgj, actor=None),
        "follow up a problem": lambda: do_follow_up_blocker(problem, note="跟进", actor=None),
        "resolve a problem": lambda: do_resolve_blocker(problem, resolution="已解决", actor=None),
        "create an API token": lambda: do_create_token("someone", actor=None),
    }  # fmt: skip


REFUSED = [
    "create a unit",
    "create a person",
    "assign a role",
    "load a plan",
    "set the lights' thresholds",
    "create a project",
    "file a report",
    "certify reports",
    "enter a figure",
    "link responsible units",
    "record a visit",
    "dispatch a problem",
    "follow up a problem",
    "resolve a problem",
    "create an API token",
]


@pytest.mark.parametrize("action", REFUSED)
def test_every_action_refuses_no_actor_and_writes_nothing(action, refusals, fgj):
    before = (Unit.objects.count(), Project.objects.count(), Campaign.objects.count())
    with pytest.raises(PermissionDenied):
        refusals[action]()
    assert (Unit.objects.count(), Project.objects.count(), Campaign.objects.count()) == before
    assert _nothing_logged()


def test_the_system_acts_and_the_change_log_names_it(campaign, fgj):
    unit = do_create_unit(code="zrzy", name="区自然资源局", kind=UnitKind.DEPARTMENT, actor=SYSTEM)
    project = _project(campaign, fgj)
    entries = ChangeEntry.objects.filter(object_id__in=[str(unit.pk), str(project.pk)])
    assert entries.count() >= 2
    assert set(entries.values_list("actor_id", "actor_name")) == {(None, "system")}


def test_the_system_files_no_dekad_report_a_report_is_a_units_word(campaign, fgj):
    project = _project(campaign, fgj)
    with pytest.raises(PermissionDenied):
        do_submit_report(project, actor=SYSTEM, progress="施工")


def test_a_user_the_rules_refuse_is_refused_as_before(campaign, fgj, leader, office_clerk):
    with pytest.raises(PermissionDenied):
        do_create_unit(code="x", name="新单位", kind=UnitKind.OTHER, actor=leader)
    with pytest.raises(PermissionDenied):
        load_plan(SMALL_PLAN, actor=leader)
    report = load_plan(SMALL_PLAN, actor=office_clerk)
    assert report.logged > 0


def test_loadplan_loads_as_the_system_and_refuses_a_user_outside_the_office(leader, tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_PLAN, encoding="utf-8")
    with pytest.raises(CommandError, match="leader"):
        call_command("loadplan", str(path), "--user", leader.username, verbosity=0)
    assert not Campaign.objects.exists()
    call_command("loadplan", str(path), verbosity=0)
    assert Campaign.objects.get().code == "small-2026"
    assert set(ChangeEntry.objects.values_list("actor_name", flat=True)) == {"system"}
