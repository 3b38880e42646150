"""What every public page of city work shares: the phone's device cookie and the rate limits.

A phone is known by a random id in a signed, long-lived cookie (no account, nothing
personal in it): reports are counted per phone as well as per network address, so one
phone cannot flood the pool by changing networks, nor one address by clearing cookies
(a post without the cookie counts against the address's own "phone"). The limits are
settings (``CITIZEN_*``) and counted in the cache (``core.ratelimit``), so every web
process counts together when the cache is Redis.
"""

import functools
import uuid

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from vanguard.accounts.throttle import client_address
from vanguard.core.ratelimit import Limit, allow, allow_all

DEVICE_COOKIE = "vg_device"
DEVICE_SALT = "vanguard.citywork.report.device"
# Two years: long enough to count a phone's reports, short of forever.
DEVICE_AGE = 2 * 365 * 86400
HOUR, DAY = 3600, 86400
# The phone keeps the tracking codes of its last reports, so a lost code can be found.
REPORTS_COOKIE = "vg_reports"
REPORTS_SALT = "vanguard.citywork.report.codes"
RECENT_REPORTS = 10


def device_of(request):
    """The phone's id from its signed cookie, or None when it has none (or a forged one)."""
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    return value if value and len(value) == 32 and value.isalnum() else None


def with_device(request, response):
    """Give a phone that has no id one, on any public answer."""
    if device_of(request) is None:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            uuid.uuid4().hex,
            salt=DEVICE_SALT,
            max_age=DEVICE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            path="/report/",
        )
    return response


def public_door(view):
    """A door open to anyone: its answer gives the phone its id if it has none."""

    @functools.wraps(view)
    def door(request, *args, **kwargs):
        return with_device(request, view(request, *args, **kwargs))

    return door


def _device_key(request):
    device = device_of(request)
    return device if device else "none:{}".format(client_address(request))


def refusal_words(verdict):
    minutes = max(1, (verdict.retry_after + 59) // 60)
    return _(
        "Too many reports from this phone or network for now. Please try again in"
        " {minutes} minutes; for something urgent call 12345."
    ).format(minutes=minutes)


def post_allowed(request):
    """Every post to a public door counts against its address (refused ones too)."""
    return allow(
        "citizen-post", client_address(request), Limit(settings.CITIZEN_POSTS_PER_HOUR, HOUR)
    )


def report_allowed(request, scope="citizen-report"):
    """A report (or "me too") about to be filed: per address an hour and per phone a day."""
    return allow_all(
        [
            (
                scope + "-address",
                client_address(request),
                Limit(settings.CITIZEN_REPORTS_PER_HOUR, HOUR),
            ),
            (scope + "-device", _device_key(request), Limit(settings.CITIZEN_REPORTS_PER_DAY, DAY)),
        ]
    )


def support_once(request, case):
    """A phone says "me too" about a case once (for a month)."""
    return allow(
        "citizen-support-once", "{}:{}".format(_device_key(request), case.pk), Limit(1, 30 * DAY)
    )


def read_allowed(request):
    return allow(
        "citizen-read", client_address(request), Limit(settings.CITIZEN_READS_PER_MINUTE, 60)
    )


def miss_allowed(request):
    """An unknown tracking code counts: guessing codes soon stops."""
    return allow(
        "citizen-miss", client_address(request), Limit(settings.CITIZEN_MISSES_PER_HOUR, HOUR)
    )


def refused(request, message, status=400):
    """A refusal in words, on a page of its own."""
    return render(request, "citywork/public/refused.html", {"message": message}, status=status)


def too_many(request, verdict):
    """The refusal page (429), in words, with when to try again."""
    response = refused(request, refusal_words(verdict), status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def recent_codes(request):
    """The tracking codes of the reports filed from this phone, newest first."""
    codes = request.get_signed_cookie(REPORTS_COOKIE, default="", salt=REPORTS_SALT)
    return [c for c in codes.split(",") if c.isalnum()][:RECENT_REPORTS]


def remember_report(request, response, case):
    """Keep the new report's tracking code on the phone, for the tracking page to list."""
    codes = [case.tracking_code, *(c for c in recent_codes(request) if c != case.tracking_code)]
    response.set_signed_cookie(
        REPORTS_COOKIE,
        ",".join(codes[:RECENT_REPORTS]),
        salt=REPORTS_SALT,
        max_age=DEVICE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path="/report/",
    )
    return response


def private(response):
    """A page whose address carries a tracking code: kept by no shared cache, not indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
