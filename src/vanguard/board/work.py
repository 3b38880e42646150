"""The signed-in person's work queue (待办), read once per request.

The landing page, the navigation's count and the API all read ``queue_of``; within one
request the queue is worked out once (``supervision.queue`` asks each kind that
applies, a fixed number of queries each) and kept on the request.
"""

from django.http import Http404
from django.utils import timezone

from vanguard.org.access import access_for
from vanguard.org.queries import current_campaign
from vanguard.supervision.queue import queue_for

# How many of each kind the landing page shows; each kind links to its full list.
PAGE_LIMIT = 5

_ATTR = "_vanguard_queue"


def queue_of(request, campaign=None, today=None, limit=PAGE_LIMIT):
    """``(campaign, rows)`` of the queue of ``request.user``: ``campaign`` or the current one."""
    user = request.user
    kept = request.__dict__.setdefault(_ATTR, {})
    if campaign is None:
        if "current" not in kept:
            try:
                kept["current"] = current_campaign()
            except Http404:
                kept["current"] = None
        campaign = kept["current"]
    key = (campaign.pk if campaign else None, today, limit)
    if key not in kept:
        rows = []
        if campaign is not None and access_for(user).takes_part:
            rows = queue_for(user, campaign, today or timezone.localdate(), limit)
        kept[key] = rows
    return campaign, kept[key]


def navigation(request):
    """The navigation's count of things waiting, worked out only when a page shows it."""

    def count():
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return 0
        _campaign, rows = queue_of(request)
        return sum(row.count for row in rows)

    return {"nav_queue_count": count}
