"""Every log line names the request (or job) it belongs to; JSON lines when LOG_FORMAT=json.

A request keeps the ``X-Request-ID`` a proxy gave it (when it looks like an id) or gets a
new one; the answer carries it back, so a user's report of a failure leads to its lines.
A background job logs under ``job-<task id>``.
"""

import contextvars
import datetime
import json
import logging
import re
import uuid

_current = contextvars.ContextVar("request_id", default="-")
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id():
    return _current.get()


def bind(request_id):
    """Make ``request_id`` the current one; returns the token that undoes it."""
    return _current.set(request_id)


def unbind(token):
    _current.reset(token)


class RequestIdMiddleware:
    """Gives each request an id, logs under it, and answers with it in ``X-Request-ID``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _WELL_FORMED.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = bind(request_id)
        try:
            response = self.get_response(request)
        finally:
            unbind(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record, so formats may name it."""

    def filter(self, record):
        record.request_id = _current.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, request id, message (and the traceback)."""

    def format(self, record):
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", _current.get()),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def connect_jobs(huey):
    """A job logs under ``job-<task id>`` while it runs."""
    from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_EXECUTING

    @huey.signal(SIGNAL_EXECUTING)
    def _executing(signal, task, *args, **kwargs):
        _current.set("job-{}".format(task.id))

    @huey.signal(SIGNAL_COMPLETE, SIGNAL_ERROR)
    def _finished(signal, task, *args, **kwargs):
        _current.set("-")
