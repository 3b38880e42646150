"""Quiet hours: no e-mail or robot message leaves between, say, 22:00 and 07:00 Beijing time.

``NOTICE_QUIET_HOURS`` reads ``HH:MM-HH:MM`` (a span may wrap midnight) or is empty for
none. A message due inside the span waits for its end; the inbox is never quiet.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def quiet_span():
    """``(start, end)`` times of the quiet hours, or None."""
    text = (getattr(settings, "NOTICE_QUIET_HOURS", "") or "").strip()
    if not text:
        return None
    try:
        start, end = (datetime.time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ImproperlyConfigured(
            "NOTICE_QUIET_HOURS={!r} must read HH:MM-HH:MM, e.g. 22:00-07:00.".format(text)
        ) from None
    return (start, end) if start != end else None


def not_before(moment):
    """``moment``, or the end of the quiet hours it falls in."""
    span = quiet_span()
    if span is None:
        return moment
    start, end = span
    local = timezone.localtime(moment)
    now = local.time()
    inside = (start <= now < end) if start < end else (now >= start or now < end)
    if not inside:
        return moment
    day = local.date()
    if start > end and now >= start:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, end), local.tzinfo)
