"""Background jobs: every app's schedules, and the dekad/month hooks."""

import datetime

from huey.contrib.djhuey import HUEY

from vanguard.accounts import tasks as accounts_tasks  # noqa: F401 (registers its schedule)
from vanguard.audit import tasks as audit_tasks  # noqa: F401 (registers its schedule)
from vanguard.core import tasks


def test_the_schedules_cover_daily_dekad_and_monthly_work():
    names = {task.__name__ for task in HUEY._registry._periodic_tasks}
    assert {"purge_login_failures", "verify_change_log", "dekad_start", "month_start"} <= names


def test_the_dekad_schedule_fires_on_the_1st_11th_and_21st():
    check = tasks.dekad_start.task_class().validate_datetime
    assert check(datetime.datetime(2026, 3, 11, 0, 30))
    assert not check(datetime.datetime(2026, 3, 12, 0, 30))


def test_a_registered_hook_runs_when_a_dekad_starts():
    seen = []
    tasks.on_period_start("dekad")(seen.append)
    try:
        tasks.run_period_hooks("dekad", datetime.date(2026, 3, 11))
    finally:
        tasks._PERIOD_HOOKS["dekad"].remove(seen.append)
    assert seen == [datetime.date(2026, 3, 11)]
