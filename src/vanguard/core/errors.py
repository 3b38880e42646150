"""Errors answered in words: JSON under /api/, a page elsewhere, never a bare server error.

Two middlewares:

- ``DatabaseConflictMiddleware`` answers what the database refuses when two writers
  meet and an action's own checks did not say it first: a broken deadlock or a failed
  serialisation (409, "send it again", nothing was saved), a lock or statement that timed
  out or a busy SQLite file (503 with Retry-After), a unique or foreign-key rule broken
  (409, "changed meanwhile"). Each is logged: it shows a write whose locks or checks
  should be looked at (decision 0028).
- ``ApiErrorsAsJsonMiddleware`` makes sure an API client never receives an HTML page:
  an error answer under /api/ that is not JSON (Django's 404, 403 and 500 pages, a
  405 without a body) becomes ``{"message": ...}`` in the user's language, keeping
  Allow and Retry-After.

A JSON error carries ``"retry": true`` when the same request may succeed if sent again.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

# PostgreSQL's codes (SQLSTATE) of a transaction broken off because of another one.
DEADLOCK = "40P01"
SERIALIZATION_FAILURE = "40001"
# ... and of a wait that gave up: lock_timeout, statement_timeout.
LOCK_NOT_AVAILABLE = "55P03"
QUERY_CANCELED = "57014"

RETRY_AFTER_SECONDS = 2


def is_api(request):
    return request.path.startswith("/api/")


def _sqlstate(exc):
    return getattr(exc.__cause__, "sqlstate", None)


def classify(exc):
    """``(status, message, retry)`` for a database error met while two writers meet; None else."""
    if isinstance(exc, IntegrityError):
        return (
            409,
            _(
                "Someone else changed the same data at the same moment, so this change was"
                " not saved. Reload to see what is stored now, then make your change again."
            ),
            False,
        )
    if not isinstance(exc, OperationalError):
        return None
    state = _sqlstate(exc)
    if state in (DEADLOCK, SERIALIZATION_FAILURE):
        return (
            409,
            _(
                "This change met another one made at the same moment and was not saved;"
                " nothing was changed. Send it again."
            ),
            True,
        )
    if state in (LOCK_NOT_AVAILABLE, QUERY_CANCELED) or "database is locked" in str(exc):
        return (
            503,
            _("The system is busy with other changes and saved nothing; try again in a moment."),
            True,
        )
    return None


def error_response(request, status, message, *, retry=False, template=None):
    """``{"message": ...}`` for the API, the error page otherwise."""
    if is_api(request):
        body = {"message": str(message)}
        if retry:
            body["retry"] = True
        response = JsonResponse(body, status=status)
    else:
        response = render(
            request,
            template or "conflict.html",
            {"status": status, "message": message, "retry": retry},
            status=status,
        )
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseConflictMiddleware:
    """Answer a write the database refused because of a concurrent one, in words."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        found = classify(exception)
        if found is None:
            return None
        status, message, retry = found
        if retry:
            log.warning("%s %s: %s", request.method, request.path, exception)
        else:
            # A rule of the data broken: the action's own checks should have said so first.
            log.error("%s %s: %s", request.method, request.path, exception, exc_info=exception)
        return error_response(request, status, message, retry=retry)


def _words_for(status, request, response):
    if status == 401:
        return _("Authentication required: send Authorization: Bearer TOKEN.")
    if status == 403:
        return _("You do not have permission to do this.")
    if status == 404:
        return _("Not found: {method} {path}.").format(method=request.method, path=request.path)
    if status == 405:
        return _("{method} is not allowed here; allowed: {allowed}.").format(
            method=request.method, allowed=response.get("Allow", "—")
        )
    if status == 413:
        return _("The request is too large: send less at once.")
    if status in (502, 503, 504):
        return _("The system is busy with other changes and saved nothing; try again in a moment.")
    if status >= 500:
        return _(
            "Something went wrong on the server and was logged. Read again what you changed"
            " before sending it again, or tell the system administrator."
        )
    return _("The request cannot be read.")


class ApiErrorsAsJsonMiddleware:
    """Under /api/, turn an error answer that is not JSON into JSON with a message."""

    KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        body = {"message": str(_words_for(response.status_code, request, response))}
        if response.status_code in (502, 503, 504):
            body["retry"] = True
        if settings.DEBUG and not getattr(response, "streaming", False):
            body["detail"] = response.content.decode(errors="replace")[:4000]
        answer = JsonResponse(body, status=response.status_code)
        for header in self.KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer
