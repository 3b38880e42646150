"""Chinese first, and bad input answered with 400.

The interface language is the user's choice, else Chinese.

Django's LocaleMiddleware would follow the browser's Accept-Language, which shows
English to anyone whose browser was set up in English. Here only the language cookie
(set by the switch in the navigation bar) changes it; the API and pages agree.
"""

import logging
import re

from django.conf import settings
from django.db import DataError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from vanguard.core.years import FIRST_YEAR, LAST_YEAR


class ChineseFirstLocaleMiddleware:
    """Activate the language chosen with the switch, or LANGUAGE_CODE."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# The largest value a database integer column (and a primary key) can hold.
LARGEST_ID = 2**63 - 1
_INTEGER = re.compile(r"[+-]?[0-9]+")

log = logging.getLogger(__name__)


# A date or period label in a query string: 2026-03-05, 2026-03, 2026-03-D1, 2026-Q1, 2026-W10.
_DATED = re.compile(
    r"(?P<year>[0-9]{1,9})-(?:[0-9]{1,2}(?:-(?:[0-9]{1,2}|D[1-3]))?|Q[1-4]|W[0-9]{1,2})"
)


def _year_out_of_range(key, text):
    """The year of a query value that names a date, a period or a year, when no schedule has it."""
    match = _DATED.fullmatch(text)
    if match:
        year = int(match["year"])
    elif key == "year" and _INTEGER.fullmatch(text) and len(text) < 10:
        year = int(text)
    else:
        return None
    return None if FIRST_YEAR <= year <= LAST_YEAR else year


def _too_large(text):
    """True when text is a whole number no database integer can hold."""
    return bool(_INTEGER.fullmatch(text)) and abs(int(text)) > LARGEST_ID


def bad_request(request, message):
    """A 400 answer in the form the client reads: JSON for the API, a page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"message": str(message)}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


class BadInputMiddleware:
    """Numbers too large for the database and dates out of range get 400, never 500.

    Ids and page numbers beyond 2^63 in the address or the query string, and dates,
    period labels and years outside the years a schedule can name in the query string,
    are refused before any view parses them; an arithmetic overflow or a value the database cannot
    store (a date past year 9999, an amount beyond its column) is answered the same way
    wherever it is met, so a view that forgot a bound fails politely.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = [*request.path.split("/"), *request.GET.values()]
        huge = next((value for value in values if _too_large(value.strip())), None)
        if huge is not None:
            return bad_request(
                request, _("The number {number} is too large.").format(number=huge[:40])
            )
        for key, value in request.GET.items():
            year = _year_out_of_range(key, value.strip())
            if year is not None:
                return bad_request(
                    request,
                    _("Year {year} is out of range; use {first} to {last}.").format(
                        year=year, first=FIRST_YEAR, last=LAST_YEAR
                    ),
                )
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError | DataError):
            log.warning("bad input on %s: %s", request.path, exception)
            return bad_request(
                request, _("A number or date in the request is out of the range it may take.")
            )
        return None


# No inline script anywhere: behaviour is bound in static files (vanguard/app.js), so a
# name or text that carries markup can never run. Inline style attributes stay allowed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The camera and the location only for the site itself (photo reports); nothing else.
PERMISSIONS_POLICY = (
    "camera=(self), geolocation=(self), microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response; no caching of
    anything shown to a signed-in user or an API client (personal or unpublished data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if (signed_in or request.path.startswith("/api/")) and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response
