"""Background jobs: every app's schedules."""

from huey.contrib.djhuey import HUEY

from vanguard.accounts import tasks as accounts_tasks  # noqa: F401 (registers its schedule)
from vanguard.audit import tasks as audit_tasks  # noqa: F401 (registers its schedule)


def test_the_nightly_housekeeping_is_scheduled():
    names = {task.__name__ for task in HUEY._registry._periodic_tasks}
    assert {"purge_login_failures", "verify_change_log"} <= names
