"""A campaign with its key nodes and two projects: one of each reporting unit."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

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


# --- the lights' recompute queue ---------------------------------------------------------


@pytest.fixture
def overdue_projects(plan, fgj, office_clerk):
    """Five projects whose project approval was due ten days ago."""
    today = timezone.localdate()
    return [
        do_create_project(
            campaign=plan,
            code="XHA-B{:03d}".format(i),
            name="项目{}".format(i),
            lead_unit=fgj,
            investment_yuan=2 * YI,
            actor=office_clerk,
            node_plans={"project_approval": today - datetime.timedelta(days=10)},
        )
        for i in range(5)
    ]


@pytest.fixture
def recompute_queue(monkeypatch, plan):
    """A queue whose consumer runs only when told: queued recomputes wait in a list as
    (campaign, group) pairs."""
    from huey.contrib.djhuey import HUEY

    from vanguard.supervision import tasks
    from vanguard.supervision.kinds import groups

    jobs = []
    monkeypatch.setattr(
        tasks, "_enqueue", lambda campaign_id, group=None: jobs.append((campaign_id, group))
    )
    yield jobs
    for group in [None, *groups()]:
        HUEY.delete(tasks.pending_key(plan.pk, group))


@pytest.fixture
def certify_one(fgj_reporter, projects_member, django_capture_on_commit_callbacks):
    """Certify one report in its own transaction, as one request of the task force would."""
    from vanguard.projects.actions import do_certify_reports, do_submit_report

    today = timezone.localdate()

    def _certify(project):
        with django_capture_on_commit_callbacks(execute=True):
            report = do_submit_report(
                project,
                actor=fgj_reporter,
                progress="立项批复已取得",
                node_dates={"project_approval": today - datetime.timedelta(days=1)},
                today=today,
            )
            do_certify_reports([report], actor=projects_member, today=today)

    return _certify
