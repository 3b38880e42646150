"""A burst of certifications queues one light recompute, not one per certification."""

import datetime
import time

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from vanguard.core.money import YI
from vanguard.org.choices import Battle
from vanguard.projects.actions import do_certify_reports, do_create_project, do_submit_report
from vanguard.projects.lights import SubjectKind
from vanguard.supervision import tasks
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import lights_for, recompute


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def overdue_projects(plan, fgj, office_clerk, today):
    """Five projects whose project approval was due ten days ago."""
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
def queue(monkeypatch, plan):
    """A queue whose consumer runs only when told: queued recomputes wait in a list."""
    jobs = []
    monkeypatch.setattr(
        tasks, "_enqueue", lambda campaign_id, group=None: jobs.append((campaign_id, group))
    )
    yield jobs
    for group in (None, PROJECTS):
        HUEY.delete(tasks.pending_key(plan.pk, group))


@pytest.fixture
def certify_one(fgj_reporter, projects_member, today, django_capture_on_commit_callbacks):
    """Certify one report in its own transaction, as one request of the task force would."""

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


PROJECTS = Battle.PROJECTS


def project_lights(projects):
    states = lights_for(SubjectKind.PROJECT, [p.pk for p in projects])
    return [states[p.pk].light for p in projects]


def test_a_burst_of_certifications_queues_one_recompute_that_sees_them_all(
    plan, overdue_projects, queue, certify_one
):
    recompute(plan)
    assert project_lights(overdue_projects) == [Light.RED] * 5

    for project in overdue_projects:
        certify_one(project)
    assert queue == [(plan.pk, PROJECTS)]
    assert project_lights(overdue_projects) == [Light.RED] * 5  # the job has not run yet

    tasks.recompute_lights.call_local(plan.pk, group=PROJECTS)
    assert project_lights(overdue_projects) == [Light.GREEN] * 5


def test_a_certification_after_the_job_started_queues_another(
    plan, overdue_projects, queue, certify_one, monkeypatch
):
    certify_one(overdue_projects[0])
    assert queue == [(plan.pk, PROJECTS)]
    real = tasks.recompute

    def recompute_while_another_certification_commits(campaign, today=None, group=None):
        certify_one(overdue_projects[1])
        return real(campaign, today=today, group=group)

    monkeypatch.setattr(tasks, "recompute", recompute_while_another_certification_commits)
    tasks.recompute_lights.call_local(plan.pk, group=PROJECTS)
    assert queue == [(plan.pk, PROJECTS), (plan.pk, PROJECTS)]


def test_a_pending_mark_left_by_a_job_that_never_ran_is_not_trusted_for_ever(plan, queue):
    HUEY.put(tasks.pending_key(plan.pk), time.time() - tasks.STALE_SECONDS - 1)
    assert tasks.request_recompute(plan.pk) is True
    assert queue == [(plan.pk, None)]
    assert tasks.request_recompute(plan.pk) is False
    assert queue == [(plan.pk, None)]


def test_campaigns_are_merged_apart(plan, queue):
    other = plan.pk + 1000
    try:
        assert tasks.request_recompute(plan.pk) and tasks.request_recompute(other)
        assert queue == [(plan.pk, None), (other, None)]
    finally:
        HUEY.delete(tasks.pending_key(other))


def test_with_jobs_run_immediately_each_certification_recomputes_at_once(
    plan, overdue_projects, certify_one
):
    recompute(plan)
    certify_one(overdue_projects[0])
    assert project_lights(overdue_projects[:2]) == [Light.GREEN, Light.RED]
    certify_one(overdue_projects[1])
    assert project_lights(overdue_projects[:2]) == [Light.GREEN, Light.GREEN]


def test_a_worker_killed_during_a_recompute_catches_up_when_a_worker_starts(
    plan, overdue_projects, queue, certify_one
):
    recompute(plan)
    certify_one(overdue_projects[0])
    assert queue == [(plan.pk, PROJECTS)]
    # The worker takes the job, clears the pending mark as a job does first, and is
    # killed before it judges anything: the job is gone with it.
    HUEY.delete(tasks.pending_key(plan.pk, PROJECTS))
    queue.clear()
    assert project_lights(overdue_projects)[0] == Light.RED

    tasks.catch_up_lights()

    assert queue == [(plan.pk, None)]
    tasks.recompute_lights(plan.pk)
    assert project_lights(overdue_projects)[0] == Light.GREEN
