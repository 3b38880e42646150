"""The REST API under /api/v1/, described by OpenAPI at /api/v1/openapi.json.

Each app adds its router here. Authentication is a bearer token
(``vanguard token create USERNAME``) or the browser's session. Errors are JSON objects
with a ``message`` in the user's language, whatever went wrong (core.errors); a change
made on an outdated version (see core.preconditions), or refused because someone else
changed the same thing at the same moment, is 409 Conflict.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from vanguard.accounts.tokens import BearerToken
from vanguard.core.preconditions import is_stale

api = NinjaAPI(
    title="Vanguard API",
    version="1",
    description="先锋 · 攻坚行动调度督办平台 API",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


def _error(request, status, message, **extra):
    return api.create_response(request, {"message": str(message), **extra}, status=status)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, _("Authentication required: send Authorization: Bearer TOKEN."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    # A rule that says why (a unit verifying its own progress) is told as it says it.
    return _error(request, 403, str(exc) or _("You do not have permission to do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, _("Not found."))


# django-ninja's words when a signed-in browser's change comes without its CSRF token.
NINJA_CSRF_FAILED = "CSRF check Failed"


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if exc.status_code == 403 and str(exc.message) == NINJA_CSRF_FAILED:
        return _error(
            request,
            403,
            _(
                "A change made with the browser's session must carry its CSRF token (the"
                " X-CSRFToken header); a program sends Authorization: Bearer TOKEN instead."
            ),
        )
    return _error(request, exc.status_code, exc.message)


@api.exception_handler(NinjaValidationError)
def on_invalid(request, exc):
    return _error(request, 422, _("The request is not valid."), errors=exc.errors)


@api.exception_handler(ValidationError)
def on_django_invalid(request, exc):
    fields = exc.message_dict if hasattr(exc, "error_dict") else {}
    # A change made on an outdated version conflicts with the current one: 409, not 422.
    return _error(request, 409 if is_stale(exc) else 422, "; ".join(exc.messages), fields=fields)


def register_routers():
    """Attach every app's router (kept here so the URL tree has one root)."""
    from vanguard.blockers.api import router as problems_router
    from vanguard.board.api import router as queue_router
    from vanguard.board.cockpit_api import router as cockpit_router
    from vanguard.calendar.api import router as calendar_router
    from vanguard.citywork.api import router as citywork_router
    from vanguard.enterprises.api import router as enterprises_router
    from vanguard.indicators.api import router as indicators_router
    from vanguard.lists.api import router as lists_router
    from vanguard.maps.api import router as map_router
    from vanguard.notices.api import router as notices_router
    from vanguard.org.api import router as org_router
    from vanguard.projects.api import router as projects_router
    from vanguard.projects.certification_api import router as certification_router
    from vanguard.supervision.api import lights_router, owed_router
    from vanguard.supervision.bulletins.api import router as bulletins_router
    from vanguard.supervision.orders.api import router as orders_router
    from vanguard.supervision.talks.api import router as talks_router
    from vanguard.targets.api import router as targets_router

    api.add_router("/", org_router)
    api.add_router("/", targets_router)
    api.add_router("/", cockpit_router)
    api.add_router("/", notices_router)
    api.add_router("/", calendar_router)
    # Before the projects' routes: /reports/certify is not a report's id.
    api.add_router("/", certification_router)
    api.add_router("/", projects_router)
    api.add_router("/", indicators_router)
    api.add_router("/", enterprises_router)
    api.add_router("/", problems_router)
    api.add_router("/", lists_router)
    api.add_router("/", map_router)
    api.add_router("/", citywork_router)
    api.add_router("/", owed_router)
    api.add_router("/", bulletins_router)
    api.add_router("/", talks_router)
    api.add_router("/", orders_router)
    api.add_router("/", queue_router)
    # Built here, once every domain has registered its kinds of light.
    api.add_router("/", lights_router(default_kind="project"))


register_routers()
