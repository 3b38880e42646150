"""The scheduler's heartbeat, read by ``/health/`` (see ``vanguard.core.health``)."""

from huey import crontab
from huey.contrib.djhuey import HUEY, periodic_task

from vanguard.core import health, metrics


@periodic_task(crontab())
def scheduler_heartbeat():
    """Every minute, from the one consumer that runs periodic jobs: the scheduler is alive.

    Workers started with ``--no-periodic`` never run it, so the heartbeat speaks for the
    scheduler alone.
    """
    health.beat()


@HUEY.on_startup()
def worker_metrics_on_start():
    # A machine that runs only workers serves their metrics itself (METRICS_PORT).
    metrics.serve_worker_metrics()
