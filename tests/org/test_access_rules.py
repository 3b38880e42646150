"""Every write rule of org.access, role by role: the table of docs/decisions/0016 as code.

The rules read only the attributes of what they are given (a project's lead unit, an
indicator's responsible unit, a problem's battle and owner unit), so plain stand-ins
serve here; the doors that call them are held to the same table by
tests/security/test_access_matrix.py.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.conftest import make_person
from vanguard.org import access
from vanguard.org.access import SYSTEM
from vanguard.org.choices import Battle, Role

EVERYONE = (
    "office",
    "leader",
    "tf_projects",
    "tf_indicators",
    "reporter_fgj",
    "reporter_hdjd",
    "inspector",
    "sysadmin",
    "secadmin",
    "auditor",
    "no_role",
    "anonymous",
    "none",
)


@pytest.fixture
def people(campaign, task_forces, fgj, hdjd):
    made = {
        "office": make_person("office", "王办公", role=Role.OFFICE),
        "leader": make_person("leader", "周领导", role=Role.LEADER),
        "tf_projects": make_person(
            "tf_projects", "李专班", fgj, Role.TASK_FORCE_MEMBER, task_forces[Battle.PROJECTS]
        ),
        "tf_indicators": make_person(
            "tf_indicators", "孙专班", fgj, Role.TASK_FORCE_MEMBER, task_forces[Battle.INDICATORS]
        ),
        "reporter_fgj": make_person(
            "reporter_fgj", "张填报", fgj, Role.UNIT_REPORTER, reporter_unit=fgj
        ),
        "reporter_hdjd": make_person(
            "reporter_hdjd", "赵街道", hdjd, Role.UNIT_REPORTER, reporter_unit=hdjd
        ),
        "inspector": make_person("inspector", "吴纪检", role=Role.DISCIPLINE_INSPECTOR),
        "sysadmin": make_person("sysadmin", "系统员", role=Role.SYSTEM_ADMIN),
        "secadmin": make_person("secadmin", "安全员", role=Role.SECURITY_ADMIN),
        "auditor": make_person("auditor", "审计员", role=Role.AUDIT_ADMIN),
        "no_role": make_person("no_role", "新来的"),
    }
    return {**made, "anonymous": AnonymousUser(), "none": None}


@pytest.fixture
def things(fgj, hdjd):
    project = SimpleNamespace(lead_unit_id=fgj.pk, lead_unit=fgj, code="XHA-0001")
    indicator = SimpleNamespace(
        responsible_unit_id=fgj.pk, responsible_unit_name=fgj.name, name="地区生产总值"
    )
    # A project's problem raised by fgj and dispatched to hdjd; a key enterprise's problem.
    project_problem = SimpleNamespace(battle=Battle.PROJECTS, unit_id=hdjd.pk)
    enterprise_problem = SimpleNamespace(battle=Battle.INDICATORS, unit_id=hdjd.pk)
    return {
        "project": project,
        "indicator": indicator,
        "fgj": fgj.pk,
        "project_problem": project_problem,
        "enterprise_problem": enterprise_problem,
    }


# rule -> (how to call it on the things, the roles that pass it). SYSTEM passes every one
# but filing a report, which is a unit's word signed by its reporter.
RULES = {
    "take part": (
        lambda t: (access.takes_part,),
        {
            "office",
            "leader",
            "tf_projects",
            "tf_indicators",
            "reporter_fgj",
            "reporter_hdjd",
            "inspector",
        },
    ),  # fmt: skip
    "change units and people": (
        lambda t: (access.may_change_organisation,),
        {"office"},
    ),
    "assign roles": (lambda t: (access.may_assign_roles,), {"secadmin"}),
    "load the plan": (lambda t: (access.may_load_plan,), {"office"}),
    "set the lights' thresholds": (lambda t: (access.may_set_light_policy,), {"office"}),
    "keep projects": (lambda t: (access.may_manage_projects,), {"office", "tf_projects"}),
    "certify dekad reports": (
        lambda t: (access.may_certify, Battle.PROJECTS),
        {"tf_projects"},
    ),
    "report on fgj's project": (lambda t: (access.may_report, t["project"]), {"reporter_fgj"}),
    "use the dekad workbook": (
        lambda t: (access.may_file_reports,),
        {"reporter_fgj", "reporter_hdjd"},
    ),
    "upload evidence for fgj's project": (
        lambda t: (access.may_upload_evidence, t["project"]),
        {"office", "tf_projects", "reporter_fgj"},
    ),
    "enter fgj's indicator": (
        lambda t: (access.may_enter_figures, t["indicator"]),
        {"office", "tf_indicators", "reporter_fgj"},
    ),
    "import the statistics table with fgj's indicator": (
        lambda t: (access.may_import_figures, [t["indicator"]]),
        {"office", "tf_indicators", "reporter_fgj"},
    ),
    "enter some indicator's figures": (
        lambda t: (access.may_enter_some_figures,),
        {"office", "tf_indicators", "reporter_fgj", "reporter_hdjd"},
    ),
    "raise problems about fgj's project": (
        lambda t: (access.may_raise_blockers, Battle.PROJECTS, t["fgj"]),
        {"office", "tf_projects", "reporter_fgj"},
    ),
    "raise problems about an enterprise fgj serves": (
        lambda t: (access.may_raise_blockers, Battle.INDICATORS, t["fgj"]),
        {"office", "tf_indicators", "reporter_fgj"},
    ),
    "dispatch a project's problem": (
        lambda t: (access.may_dispatch_blocker, t["project_problem"]),
        {"office", "tf_projects"},
    ),
    "close a project's problem hdjd owns": (
        lambda t: (access.may_handle_blocker, t["project_problem"]),
        {"office", "tf_projects", "reporter_hdjd"},
    ),
    "dispatch an enterprise's problem": (
        lambda t: (access.may_dispatch_blocker, t["enterprise_problem"]),
        {"office", "tf_indicators"},
    ),
    "close an enterprise's problem hdjd owns": (
        lambda t: (access.may_handle_blocker, t["enterprise_problem"]),
        {"office", "tf_indicators", "reporter_hdjd"},
    ),
}


@pytest.mark.parametrize("name", RULES)
def test_each_rule_lets_in_exactly_the_roles_of_the_table(name, people, things):
    call, allowed = RULES[name]
    rule, *args = call(things)
    passed = {role for role in EVERYONE if rule(people[role], *args)}
    assert passed == allowed
    assert rule(SYSTEM, *args) == (name != "report on fgj's project")


def test_a_task_force_never_handles_another_battles_problem(people, things):
    assert not access.may_handle_blocker(people["tf_indicators"], things["project_problem"])
    assert not access.may_dispatch_blocker(people["tf_projects"], things["enterprise_problem"])


def test_templates_ask_the_same_rules(people):
    from django.template import Context, Template

    template = Template(
        '{% load access_rules %}{% if user|may:"manage_projects" %}M{% endif %}'
        '{% if user|may:"certify_projects" %}C{% endif %}{% if user|may:"file_reports" %}R{% endif %}'
    )
    shown = {role: template.render(Context({"user": people[role]})) for role in EVERYONE}
    assert shown["office"] == "M"
    assert shown["tf_projects"] == "MC"
    assert shown["reporter_fgj"] == "R"
    assert {shown[role] for role in ("leader", "tf_indicators", "inspector", "no_role")} == {""}


def test_the_system_sees_every_row_and_no_actor_sees_none(people, fgj, hdjd):
    from vanguard.org.models import Unit

    assert set(access.restrict(Unit.objects.all(), SYSTEM)) == {fgj, hdjd}
    assert not access.restrict(Unit.objects.all(), None).exists()
    assert list(access.restrict(Unit.objects.all(), people["reporter_fgj"])) == [fgj]
