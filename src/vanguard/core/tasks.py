"""The per-dekad and monthly schedules (huey; see docs/decisions/0002-jobs.md).

They call every function registered with ``on_period_start``, so apps (reminders, lights,
bulletins) plug in. Each app keeps its own jobs and schedules in its ``tasks`` module.
"""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

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
