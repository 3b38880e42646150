"""Sending deliveries: e-mail through Django's mail settings, robots over HTTP; a failure is
tried again later, each wait twice the last, until ``NOTICE_MAX_ATTEMPTS`` are spent.

Each worker claims a delivery by moving its next attempt ahead in one conditional UPDATE,
so two workers never send the same message, on SQLite or PostgreSQL.
"""

import contextlib
import datetime
import json
import logging
import secrets
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils import timezone

from vanguard.notices import robots
from vanguard.notices.choices import Channel, DeliveryState
from vanguard.notices.models import Delivery
from vanguard.notices.quiet import not_before

log = logging.getLogger(__name__)

# A claimed delivery is another worker's for this long (a send takes seconds).
LEASE = datetime.timedelta(minutes=10)
MAX_WAIT = datetime.timedelta(hours=6)
BATCH = 500


def backoff(attempts):
    """How long to wait after the ``attempts``-th failure: base, 2 × base, 4 × base, ..."""
    base = datetime.timedelta(seconds=getattr(settings, "NOTICE_RETRY_SECONDS", 300))
    return min(base * (2 ** max(attempts - 1, 0)), MAX_WAIT)


def _claim(due, now):
    """The deliveries of ``due`` this worker now holds: all moved, in one UPDATE, to a lease
    end no other worker picks (a random microsecond), then read back by it."""
    lease_end = now + LEASE + datetime.timedelta(microseconds=secrets.randbelow(10**6))
    ids = [d.pk for d in due]
    for start in range(0, len(ids), BATCH):
        Delivery.objects.filter(
            pk__in=ids[start : start + BATCH],
            state=DeliveryState.PENDING,
            next_attempt_at__lte=now,
        ).update(next_attempt_at=lease_end)
    held = set()
    for start in range(0, len(ids), BATCH):
        held |= set(
            Delivery.objects.filter(
                pk__in=ids[start : start + BATCH], next_attempt_at=lease_end
            ).values_list("pk", flat=True)
        )
    return [d for d in due if d.pk in held]


def send_pending(now=None, limit=5000):
    """Send what is due by ``now``; return ``(sent, failed)`` counts of this round."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        .select_related("webhook")
        .order_by("next_attempt_at", "pk")[:limit]
    )
    claimed = _claim(due, now)
    mails = [d for d in claimed if d.channel == Channel.EMAIL]
    results = _send_mails(mails) + [(d, _post(d)) for d in claimed if d.channel != Channel.EMAIL]
    done = [d for d, error in results if error is None]
    _done(done, now)
    for delivery, error in results:
        if error is not None:
            _failed(delivery, error, now)
    return len(done), len(results) - len(done)


def _send_mails(deliveries):
    if not deliveries:
        return []
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as exc:
        # The server is unreachable: every e-mail waits, none is lost.
        error = "SMTP: {}".format(exc)[:500]
        return [(d, error) for d in deliveries]
    results = []
    try:
        for delivery in deliveries:
            message = EmailMessage(
                delivery.subject,
                delivery.body,
                settings.DEFAULT_FROM_EMAIL,
                [delivery.address],
                connection=connection,
            )
            try:
                message.send()
                results.append((delivery, None))
            except (smtplib.SMTPException, OSError) as exc:
                results.append((delivery, "SMTP: {}".format(exc)[:500]))
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    return results


def _post(delivery):
    if delivery.webhook is None or not delivery.webhook.active:
        return "the robot was removed or switched off"
    try:
        robots.post(delivery.webhook, json.loads(delivery.body))
    except robots.RobotError as exc:
        return str(exc)[:500]
    return None


def _done(deliveries, now):
    ids = [d.pk for d in deliveries]
    for start in range(0, len(ids), BATCH):
        Delivery.objects.filter(pk__in=ids[start : start + BATCH]).update(
            state=DeliveryState.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
        )


def _failed(delivery, error, now):
    attempts = delivery.attempts + 1
    limit = getattr(settings, "NOTICE_MAX_ATTEMPTS", 8)
    gave_up = attempts >= limit
    log.warning("delivery %s failed (attempt %s): %s", delivery.pk, attempts, error)
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        last_error=error,
        state=DeliveryState.FAILED if gave_up else DeliveryState.PENDING,
        next_attempt_at=None if gave_up else not_before(now + backoff(attempts)),
    )
