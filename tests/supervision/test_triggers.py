"""What sets a recompute off: certification, a change of thresholds, the night, the console."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from huey.contrib.djhuey import HUEY

from tests.supervision.conftest import day, light, node
from vanguard.org.choices import CampaignStatus
from vanguard.supervision import tasks
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import history, recompute
from vanguard.supervision.models import LightState


def test_certification_recomputes_the_lights_once_it_commits(
    make_project, fgj_reporter, certify, django_capture_on_commit_callbacks
):
    project = make_project({"project_approval": day("2026-03-02")})
    recompute(project.campaign, today=day("2026-03-05"))
    assert light(node(project, "project_approval")).light == Light.RED

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        certify(
            project,
            fgj_reporter,
            today=day("2026-03-05"),
            node_dates={"project_approval": day("2026-03-04")},
        )

    assert len(callbacks) == 1  # one recompute for the campaign, queued after commit
    milestone = node(project, "project_approval")
    assert light(milestone).light == Light.GREEN
    assert [e.to_light for e in history("milestone", milestone.pk)] == [Light.RED, Light.GREEN]


def test_nothing_is_recomputed_when_the_certification_fails(
    make_project, fgj_reporter, projects_member, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    from vanguard.projects.actions import do_certify_reports, do_return_report, do_submit_report

    project = make_project({"project_approval": day("2026-03-02")})
    report = do_submit_report(project, actor=fgj_reporter, progress="进展", today=day("2026-03-05"))
    do_return_report(report, actor=projects_member, reason="材料不全")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        do_certify_reports([report], actor=projects_member)
    assert callbacks == []
    assert not LightState.objects.exists()


def test_the_nightly_schedule_recomputes_every_active_campaign(make_project, plan):
    names = {task.__name__ for task in HUEY._registry._periodic_tasks}
    assert "recompute_all_lights" in names
    check = tasks.recompute_all_lights.task_class().validate_datetime
    assert check(datetime.datetime(2026, 3, 11, 16, 20))  # 00:20 in Beijing, in UTC

    project = make_project({"project_approval": day("2026-03-02")})
    tasks.recompute_all_lights.call_local()
    assert light(project).light == Light.RED  # today is after March 2

    plan.status = CampaignStatus.CLOSED
    plan.save(update_fields=["status"])
    LightState.objects.all().delete()
    tasks.recompute_all_lights.call_local()
    assert not LightState.objects.exists()


def test_the_recompute_job_runs_for_one_campaign(make_project, plan):
    project = make_project({"project_approval": day("2026-03-02")})
    changed = tasks.recompute_lights.call_local(plan.pk, day("2026-03-01"))
    assert changed == 9 + 7  # a project, its 7 nodes and its unit; the plan's 7 indicators
    assert light(node(project, "project_approval")).light == Light.YELLOW
    assert tasks.recompute_lights.call_local(10_000) is None  # no such campaign


def test_the_console_command_recomputes_as_of_a_date_and_prints_the_counts(make_project, plan):
    make_project({"project_approval": day("2026-03-02")})
    out = io.StringIO()
    call_command("lights", "recompute", "--campaign", plan.code, "--date", "2026-03-05", stdout=out)
    text = out.getvalue()
    assert "xihaian-2026" in text and "2026-03-05" in text
    assert LightState.objects.filter(light=Light.RED).count() == 3  # node, project, unit


@pytest.mark.parametrize("args", [["--campaign", "no-such-campaign"], ["--date", "2026-13-01"]])
def test_the_console_command_refuses_an_unknown_campaign_or_a_bad_date(plan, args):
    with pytest.raises(CommandError):
        call_command("lights", "recompute", *args, stdout=io.StringIO())
    assert not LightState.objects.exists()
