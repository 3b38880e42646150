"""What ``/health/`` checks: the database, the job queue, the scheduler's heartbeat, free disk.

A load balancer takes a web process out of rotation when the answer is not 200; an
operator's monitor reads which check failed. The scheduler (the one huey consumer that
runs the periodic jobs) writes a heartbeat into the queue's store every minute and when
it starts; a heartbeat older than ``HEALTH_HEARTBEAT_SECONDS`` means the nightly light
recompute, the ladder and the bulletin drafts are not running.
"""

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from huey.contrib.djhuey import HUEY

HEARTBEAT_KEY = "health.scheduler-heartbeat"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def beat(now=None):
    """Record that the scheduler is alive (called every minute and at its start)."""
    HUEY.put(HEARTBEAT_KEY, now if now is not None else time.time())


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        return Check("database", False, type(error).__name__)
    return Check("database", True, connection.vendor)


def check_queue():
    try:
        pending = HUEY.pending_count()
    except Exception as error:  # noqa: BLE001
        return Check("queue", False, type(error).__name__)
    return Check("queue", True, "{} pending".format(pending))


def check_scheduler(now=None):
    if HUEY.immediate:
        # Jobs run in place (tests, scripts): there is no scheduler to wait for.
        return Check("scheduler", True, "immediate")
    try:
        last = HUEY.get(HEARTBEAT_KEY, peek=True)
    except Exception as error:  # noqa: BLE001
        return Check("scheduler", False, type(error).__name__)
    if last is None:
        return Check("scheduler", False, "no heartbeat")
    age = int((now if now is not None else time.time()) - last)
    limit = settings.HEALTH_HEARTBEAT_SECONDS
    return Check("scheduler", age <= limit, "last heartbeat {} s ago".format(max(age, 0)))


def check_disk():
    least = settings.HEALTH_MIN_FREE_MB
    worst = None
    for folder in {settings.VAR_DIR, settings.MEDIA_ROOT}:
        path = Path(folder)
        while not path.exists() and path != path.parent:
            path = path.parent
        free = shutil.disk_usage(path).free // (1024 * 1024)
        worst = free if worst is None else min(worst, free)
    return Check("disk", worst >= least, "{} MB free".format(worst))


def run_checks():
    """Every check, in a fixed order."""
    return [check_database(), check_queue(), check_scheduler(), check_disk()]
