"""The projects' campaign and people, plus helpers to plan key nodes and certify facts."""

import datetime

import pytest

from tests.projects import conftest as projects_conftest
from vanguard.core.money import YI
from vanguard.projects.actions import (
    do_certify_reports,
    do_create_project,
    do_set_milestone_plan,
    do_submit_report,
)

# The projects tests' campaign and task-force member, shared here.
plan = projects_conftest.plan
projects_member = projects_conftest.projects_member
overdue_projects = projects_conftest.overdue_projects
recompute_queue = projects_conftest.recompute_queue
certify_one = projects_conftest.certify_one

NODES = [
    "project_approval",
    "land_use",
    "planning_permit",
    "environmental_assessment",
    "preliminary_design_budget",
    "drawing_review",
    "construction_permit",
]


@pytest.fixture
def make_project(plan, fgj, office_clerk):
    """Create a project of the development and reform bureau with planned node dates."""
    numbers = iter(range(100, 10_000))

    def _make(node_plans=None, *, lead_unit=None, code=None, **fields):
        return do_create_project(
            campaign=plan,
            code=code or "XHA-{:04d}".format(next(numbers)),
            name="测试项目",
            lead_unit=lead_unit or fgj,
            investment_yuan=2 * YI,
            actor=office_clerk,
            node_plans=node_plans or {},
            **fields,
        )

    return _make


@pytest.fixture
def certify(projects_member):
    """File a report by the lead unit's reporter and certify it, as of ``today``."""

    def _certify(project, reporter, *, today, **content):
        content.setdefault("progress", "按计划推进")
        report = do_submit_report(project, actor=reporter, today=today, **content)
        return do_certify_reports([report], actor=projects_member, today=today)

    return _certify


def plan_nodes(project, actor, **dates):
    """Set the planned dates of a project's key nodes."""
    do_set_milestone_plan(project, dates, actor=actor)


def day(text):
    return datetime.date.fromisoformat(text)


def light(subject, *, kind=None, campaign=None):
    """The stored light of a milestone, project or unit (units need the campaign)."""
    from vanguard.org.models import Unit
    from vanguard.projects.lights import SubjectKind
    from vanguard.projects.models import Milestone, Project
    from vanguard.supervision.models import LightState

    kind = (
        kind
        or {
            Milestone: SubjectKind.MILESTONE,
            Project: SubjectKind.PROJECT,
            Unit: SubjectKind.UNIT,
        }[type(subject)]
    )
    states = LightState.objects.filter(kind=kind, object_id=subject.pk)
    if campaign is not None:
        states = states.filter(campaign=campaign)
    return states.get()


def node(project, code):
    """A project's milestone for one key node."""
    return project.milestones.get(node__code=code)
