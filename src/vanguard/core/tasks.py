"""Background jobs and their schedules (huey; see docs/decisions/0002-jobs.md).

Daily housekeeping runs here; the per-dekad and monthly hooks call every function
registered with ``on_period_start`` so later apps (reminders, lights, bulletins) plug in.
"""

import datetime
import logging

from axes.models import AccessAttempt
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from vanguard.audit.log import verify_chain, write_checkpoint

log = logging.getLogger(__name__)

_PERIOD_HOOKS = {"dekad": [], "month": []}


def on_period_start(kind):
    """Decorator: run the function when a dekad or month starts (with the start date)."""

    def register(func):
        _PERIOD_HOOKS[kind].append(func)
        return func

    return register


def run_period_hooks(kind, today):
    """Call every hook registered for ``kind``; return how many ran."""
    for func in _PERIOD_HOOKS[kind]:
        func(today)
    return len(_PERIOD_HOOKS[kind])


@db_periodic_task(crontab(hour="1", minute="10"))
def purge_login_failures():
    """Forget failed logins (the throttle's counts) older than a day."""
    cutoff = timezone.now() - datetime.timedelta(days=1)
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted


@db_periodic_task(crontab(hour="2", minute="0"))
def verify_change_log():
    """Check the change log's chain every night, then publish a checkpoint of its head.

    A broken link is logged loudly and no checkpoint is written over it.
    """
    result = verify_chain()
    if not result.ok:
        log.error("change log broken at #%s: %s", result.broken_seq, result.problem)
        return False
    try:
        write_checkpoint()
    except OSError:
        log.exception("change log checkpoint could not be published")
    return True


@db_periodic_task(crontab(day="1,11,21", hour="0", minute="30"))
def dekad_start():
    """At the start of each dekad (1st, 11th, 21st)."""
    return run_period_hooks("dekad", timezone.localdate())


@db_periodic_task(crontab(day="1", hour="0", minute="40"))
def month_start():
    """At the start of each month."""
    return run_period_hooks("month", timezone.localdate())


@db_task()
def ping(value):
    """A job that echoes its argument: lets deploy checks prove a worker answers."""
    return value
