"""The signed-in person's work queue (待办), read once per request.

The landing page, the navigation's count and the API all read ``queue_of``; within one
request the queue is worked out once (``supervision.queue`` asks each kind that
applies, a fixed number of queries each) and kept on the request. The navigation's
count on the other pages is kept a minute per person (``navigation``).
"""

from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from vanguard.org.access import access_for
from vanguard.org.queries import current_campaign
from vanguard.supervision.queue import queue_for, shown_total

# How many of each kind the landing page shows; each kind links to its full list.
PAGE_LIMIT = 5

_ATTR = "_vanguard_queue"
# How long the navigation's count is kept for a person's other pages. Working the queue
# out took 15 to 60 % of a page's time, on every page (docs/benchmarks.md, the deadline
# under load). The landing page, which shows the queue, works it out on every visit and
# refreshes the count; the API always works it out.
NAV_COUNT_SECONDS = 60


def current_of(request):
    """The current campaign (None when none is loaded), read once per request."""
    kept = request.__dict__.setdefault(_ATTR, {})
    if "current" not in kept:
        try:
            kept["current"] = current_campaign()
        except Http404:
            kept["current"] = None
    return kept["current"]


def queue_of(request, campaign=None, today=None, limit=PAGE_LIMIT):
    """``(campaign, rows)`` of the queue of ``request.user``: ``campaign`` or the current one."""
    user = request.user
    kept = request.__dict__.setdefault(_ATTR, {})
    if campaign is None:
        campaign = current_of(request)
    key = (campaign.pk if campaign else None, today, limit)
    if key not in kept:
        rows = []
        if campaign is not None and access_for(user).takes_part:
            rows = queue_for(user, campaign, today or timezone.localdate(), limit)
        kept[key] = rows
    return campaign, kept[key]


def _count_key(request):
    # Per signed-in session: a new login works the count out afresh.
    session = getattr(request, "session", None)
    return "vanguard:nav-queue:{}:{}:{}".format(
        request.user.pk, session.session_key if session else "", timezone.localdate().isoformat()
    )


def navigation(request):
    """The navigation's count of things waiting: the page's own queue when it worked one
    out, else the count kept for the person (at most NAV_COUNT_SECONDS old)."""

    def count():
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return 0
        key = _count_key(request)
        worked_out = any(k != "current" for k in request.__dict__.get(_ATTR, {}))
        if not worked_out:
            kept = cache.get(key)
            if kept is not None:
                return kept
        _campaign, rows = queue_of(request)
        total = shown_total(rows)
        cache.set(key, total, NAV_COUNT_SECONDS)
        return total

    return {"nav_queue_count": count}
