"""Request and job metrics in the Prometheus text format.

Requests are counted by django-prometheus's middleware; jobs here, from huey's signals.
``/metrics`` answers only a bearer of ``METRICS_TOKEN`` (404 when it is unset): behind a
reverse proxy every request comes from the loopback, so an address is no credential.
A machine running only workers serves its own metrics on ``METRICS_PORT``.
"""

import hmac
import threading
import time

from django.conf import settings
from django.http import Http404
from django_prometheus.exports import ExportToDjangoView
from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_EXECUTING
from prometheus_client import Counter, Histogram, start_http_server

JOBS = Counter(
    "vanguard_jobs_total", "Background jobs run, by task and outcome", ["task", "outcome"]
)
JOB_SECONDS = Histogram("vanguard_job_seconds", "Time a background job ran, by task", ["task"])

_started = {}
_server_lock = threading.Lock()
_server = {"running": False}


def connect(huey):
    """Count and time every job the consumer (or an immediate run) executes."""

    @huey.signal(SIGNAL_EXECUTING)
    def _executing(signal, task, *args, **kwargs):
        _started[task.id] = time.perf_counter()

    @huey.signal(SIGNAL_COMPLETE, SIGNAL_ERROR)
    def _finished(signal, task, *args, **kwargs):
        began = _started.pop(task.id, None)
        outcome = "ok" if signal == SIGNAL_COMPLETE else "error"
        JOBS.labels(task.name, outcome).inc()
        if began is not None:
            JOB_SECONDS.labels(task.name).observe(time.perf_counter() - began)


def serve_worker_metrics():
    """Start the worker's own metrics server once per process, when METRICS_PORT is set."""
    port = settings.METRICS_PORT
    if not port:
        return
    with _server_lock:
        if not _server["running"]:
            start_http_server(port, addr=settings.METRICS_ADDRESS)
            _server["running"] = True


def metrics(request):
    """The Prometheus scrape: only with ``Authorization: Bearer <METRICS_TOKEN>``."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(given.encode(), "Bearer {}".format(token).encode()):
        raise Http404
    return ExportToDjangoView(request)
