"""Background jobs: scheduled housekeeping and the dekad/month hooks."""

import datetime

from axes.models import AccessAttempt
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from vanguard.core import tasks


def test_the_schedules_cover_daily_dekad_and_monthly_work():
    names = {task.__name__ for task in HUEY._registry._periodic_tasks}
    assert {"purge_login_failures", "verify_change_log", "dekad_start", "month_start"} <= names


def test_the_dekad_schedule_fires_on_the_1st_11th_and_21st():
    check = tasks.dekad_start.task_class().validate_datetime
    assert check(datetime.datetime(2026, 3, 11, 0, 30))
    assert not check(datetime.datetime(2026, 3, 12, 0, 30))


def test_old_failed_logins_are_purged(client, db):
    client.post("/login/", {"username": "office", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(days=2))
    client.post("/login/", {"username": "office", "password": "wrong"}, REMOTE_ADDR="10.0.0.2")
    tasks.purge_login_failures.call_local()
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.2"]


def test_a_registered_hook_runs_when_a_dekad_starts():
    seen = []
    tasks.on_period_start("dekad")(seen.append)
    try:
        tasks.run_period_hooks("dekad", datetime.date(2026, 3, 11))
    finally:
        tasks._PERIOD_HOOKS["dekad"].remove(seen.append)
    assert seen == [datetime.date(2026, 3, 11)]


def test_the_nightly_chain_check_passes_on_an_intact_log_and_publishes_a_checkpoint(
    db, settings, tmp_path
):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    assert tasks.verify_change_log.call_local() is True
    assert '"seq": 0' in settings.AUDIT_CHECKPOINT_FILE.read_text()
