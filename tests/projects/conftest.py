"""A campaign with its key nodes and two projects: one of each reporting unit."""

import datetime

import pytest
from django.core.management import call_command

from vanguard.core.money import YI
from vanguard.org.models import Campaign
from vanguard.projects.actions import do_create_project


@pytest.fixture
def plan(db, settings):
    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    return Campaign.objects.get(code="xihaian-2026")


@pytest.fixture
def projects_member(plan, fgj):
    from tests.conftest import make_person
    from vanguard.org.choices import Battle, Role

    return make_person(
        "tf_projects",
        "李专班",
        fgj,
        Role.TASK_FORCE_MEMBER,
        task_force=plan.task_forces.get(battle=Battle.PROJECTS),
    )


@pytest.fixture
def fgj_project(plan, fgj, office_clerk):
    return do_create_project(
        campaign=plan,
        code="XHA-0001",
        name="海洋装备产业园",
        lead_unit=fgj,
        investment_yuan=12 * YI,
        actor=office_clerk,
        node_plans={
            "project_approval": datetime.date(2026, 2, 10),
            "land_use": datetime.date(2026, 3, 20),
        },
        started_planned=datetime.date(2026, 4, 30),
    )


@pytest.fixture
def hdjd_project(plan, hdjd, office_clerk):
    return do_create_project(
        campaign=plan,
        code="XHA-0002",
        name="黄岛老城区更新",
        lead_unit=hdjd,
        investment_yuan=3 * YI,
        actor=office_clerk,
    )


MARCH_5 = datetime.date(2026, 3, 5)
