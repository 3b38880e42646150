"""The health check, the metrics and the answer to a request Django refuses itself."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from vanguard.core.health import run_checks
from vanguard.core.middleware import bad_request as answer_bad_request


@never_cache
def health(request):
    """200 when the database, the queue, the scheduler and the disk are well; else 503.

    The answer names each check and what it found, so a monitor says which one failed.
    """
    checks = run_checks()
    healthy = all(check.ok for check in checks)
    return JsonResponse(
        {
            "status": "ok" if healthy else "fail",
            "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
        },
        status=200 if healthy else 503,
    )


def bad_request(request, exception=None):
    """The 400 answer for what Django refuses itself (a body too large, too many fields)."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        message = _("The request is too large: send less at once.")
    else:
        message = _("The request cannot be read.")
    return answer_bad_request(request, message)
