"""A burst of certifications queues one light recompute, not one per certification."""

import time

from huey.contrib.djhuey import HUEY

from vanguard.org.choices import Battle
from vanguard.projects.lights import SubjectKind
from vanguard.supervision import tasks
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import lights_for, recompute

PROJECTS = Battle.PROJECTS


def project_lights(projects):
    states = lights_for(SubjectKind.PROJECT, [p.pk for p in projects])
    return [states[p.pk].light for p in projects]


def test_a_burst_of_certifications_queues_one_recompute_that_sees_them_all(
    plan, overdue_projects, recompute_queue, certify_one
):
    recompute(plan)
    assert project_lights(overdue_projects) == [Light.RED] * 5

    for project in overdue_projects:
        certify_one(project)
    assert recompute_queue == [(plan.pk, PROJECTS)]
    assert project_lights(overdue_projects) == [Light.RED] * 5  # the job has not run yet

    tasks.recompute_lights.call_local(plan.pk, group=PROJECTS)
    assert project_lights(overdue_projects) == [Light.GREEN] * 5


def test_a_certification_after_the_job_started_queues_another(
    plan, overdue_projects, recompute_queue, certify_one, monkeypatch
):
    certify_one(overdue_projects[0])
    assert recompute_queue == [(plan.pk, PROJECTS)]
    real = tasks.recompute

    def recompute_while_another_certification_commits(campaign, today=None, group=None):
        certify_one(overdue_projects[1])
        return real(campaign, today=today, group=group)

    monkeypatch.setattr(tasks, "recompute", recompute_while_another_certification_commits)
    tasks.recompute_lights.call_local(plan.pk, group=PROJECTS)
    assert recompute_queue == [(plan.pk, PROJECTS), (plan.pk, PROJECTS)]


def test_a_pending_mark_left_by_a_job_that_never_ran_is_not_trusted_for_ever(plan, recompute_queue):
    HUEY.put(tasks.pending_key(plan.pk), time.time() - tasks.STALE_SECONDS - 1)
    assert tasks.request_recompute(plan.pk) is True
    assert recompute_queue == [(plan.pk, None)]
    assert tasks.request_recompute(plan.pk) is False
    assert recompute_queue == [(plan.pk, None)]


def test_campaigns_are_merged_apart(plan, recompute_queue):
    other = plan.pk + 1000
    try:
        assert tasks.request_recompute(plan.pk) and tasks.request_recompute(other)
        assert recompute_queue == [(plan.pk, None), (other, None)]
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
    plan, overdue_projects, recompute_queue, certify_one
):
    recompute(plan)
    certify_one(overdue_projects[0])
    assert recompute_queue == [(plan.pk, PROJECTS)]
    # The worker takes the job, clears the pending mark as a job does first, and is
    # killed before it judges anything: the job is gone with it.
    HUEY.delete(tasks.pending_key(plan.pk, PROJECTS))
    recompute_queue.clear()
    assert project_lights(overdue_projects)[0] == Light.RED

    tasks.catch_up_lights()

    assert recompute_queue == [(plan.pk, None)]
    tasks.recompute_lights(plan.pk)
    assert project_lights(overdue_projects)[0] == Light.GREEN
