"""The health check and the answer to a request Django refuses itself."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from vanguard.core.middleware import bad_request as answer_bad_request


@never_cache
def health(request):
    """Answers 200 when the database answers (for load balancers)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bad_request(request, exception=None):
    """The 400 answer for what Django refuses itself (a body too large, too many fields)."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        message = _("The request is too large: send less at once.")
    else:
        message = _("The request cannot be read.")
    return answer_bad_request(request, message)
