"""Telling people: every app calls ``notify`` (or ``record`` for many at once).

A notice lands in the person's inbox at once. E-mail follows either at once (a returned
report, an order: ``at_once=True``) or in the person's daily digest, so a busy day
is one e-mail, not a flood. The unit's group robots get the same message. Every message
is a ``Delivery`` row, tied to the notices it carries, sent by ``delivery.send_pending``
and tried again with backoff when it fails.
"""

import datetime
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vanguard.core.bulk import insert_objects
from vanguard.notices import robots
from vanguard.notices.choices import Channel
from vanguard.notices.models import Delivery, Notice, Webhook
from vanguard.notices.quiet import not_before

CHUNK = 500


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def record(notices):
    """Store unsaved ``Notice`` objects not stored before (by recipient and key); return
    the ones stored now, with their ids. A notice asked for twice is stored once."""
    wanted = {}
    for notice in notices:
        wanted.setdefault((notice.recipient_id, notice.key), notice)
    if not wanted:
        return []
    keys = {key for _user, key in wanted}
    existing = set()
    for chunk in _chunks(keys):
        existing |= set(Notice.objects.filter(key__in=chunk).values_list("recipient_id", "key"))
    fresh = [notice for pair, notice in wanted.items() if pair not in existing]
    Notice.objects.bulk_create(fresh, batch_size=CHUNK, ignore_conflicts=True)
    stored = []
    fresh_pairs = {(n.recipient_id, n.key) for n in fresh}
    for chunk in _chunks({n.key for n in fresh}):
        stored += [
            n
            for n in Notice.objects.filter(key__in=chunk, created_at__gte=_oldest(fresh))
            if (n.recipient_id, n.key) in fresh_pairs
        ]
    return stored


def _oldest(notices):
    return min(n.created_at for n in notices)


def notify(
    recipients,
    *,
    kind,
    subject,
    key,
    body="",
    url="",
    campaign=None,
    unit=None,
    due=None,
    at_once=False,
):
    """Tell ``recipients`` (user ids or users) one thing; return the notices stored now.

    Called inside an action's transaction: the e-mail and the robots' messages are made
    once it commits, so a rolled-back action tells nobody.
    """
    now = timezone.now()
    ids = sorted({getattr(r, "pk", r) for r in recipients if r is not None})
    stored = record(
        Notice(
            recipient_id=user_id,
            campaign_id=getattr(campaign, "pk", campaign),
            unit_id=getattr(unit, "pk", unit),
            kind=kind,
            subject=subject[:300],
            body=body,
            url=url,
            due=due,
            key=key[:300],
            created_at=now,
        )
        for user_id in ids
    )
    if stored and at_once:
        notice_ids = [n.pk for n in stored]
        unit_id = getattr(unit, "pk", unit)
        # Robust: a failure to queue the e-mail is logged, never turned into an error of
        # the action that already committed (the notices are in the inbox regardless).
        transaction.on_commit(lambda: _send_at_once(notice_ids, unit_id), robust=True)
    return stored


def _send_at_once(notice_ids, unit_id):
    from vanguard.notices.tasks import send_deliveries

    deliver_at_once(notice_ids, unit_id)
    send_deliveries()


def deliver_at_once(notice_ids, unit_id=None, now=None):
    """An e-mail per notice, and one message to each robot of the unit."""
    now = now or timezone.now()
    notices = list(Notice.objects.filter(pk__in=notice_ids).select_related("recipient"))
    if not notices:
        return []
    made = []
    with transaction.atomic():
        for notice in notices:
            address = notice.recipient.email
            if not address or not mail_on():
                continue
            delivery = _delivery(
                Channel.EMAIL,
                "notice:{}:email".format(notice.pk),
                notice.subject,
                _mail_text([notice]),
                now,
                recipient_id=notice.recipient_id,
                address=address,
            )
            if delivery:
                delivery.notices.add(notice)
                made.append(delivery)
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(mailed=True)
        first = notices[0]
        if unit_id is not None:
            lines = [_line(first)]
            for hook in Webhook.objects.filter(unit_id=unit_id, active=True):
                delivery = robot_delivery(
                    hook,
                    "notice:{}:hook:{}".format(first.key, hook.pk),
                    first.subject,
                    lines,
                    [_item(first)],
                    now,
                )
                if delivery:
                    delivery.notices.add(*notices)
                    made.append(delivery)
    return made


def _delivery(channel, key, subject, body, now, **fields):
    """A new delivery under ``key``, or None when one was made before (a second run)."""
    if Delivery.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                channel=channel,
                key=key,
                subject=subject[:300],
                body=body,
                next_attempt_at=not_before(now),
                created_at=now,
                **fields,
            )
    except IntegrityError:  # made meanwhile by a concurrent run
        return None


def robot_delivery(hook, key, subject, lines, items, now):
    """A message to one robot in its format; None when it was made before."""
    body = robots.payload(hook.kind, subject, lines, items)
    return _delivery(
        hook.kind, key, subject, json.dumps(body, ensure_ascii=False), now, webhook=hook
    )


def _line(notice):
    text = notice.subject
    if notice.body:
        text += " — " + notice.body
    return text


def _item(notice):
    return {
        "kind": notice.kind,
        "subject": notice.subject,
        "due": notice.due.isoformat() if notice.due else None,
        "url": notice.url,
    }


def _mail_text(notices):
    lines = []
    for notice in notices:
        lines.append("· " + _line(notice))
        if notice.url:
            lines.append("  " + notice.url)
    lines.append("")
    lines.append(_("Open your notices in Vanguard to see them all."))
    return "\n".join(lines)


def digest_subject(count):
    return ngettext(
        "Vanguard: {n} notice for you today", "Vanguard: {n} notices for you today", count
    ).format(n=count)


def mail_on():
    """Whether e-mail is configured (``EMAIL_HOST``); without it notices stay in the inbox."""
    return bool(getattr(settings, "EMAIL_HOST", ""))


def plan_digests():
    """``{user id: (address, [notices])}``: what each person's digest would carry now."""
    if not mail_on():
        return {}
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    pending = (
        Notice.objects.filter(mailed=False, recipient__in=users)
        .select_related("recipient")
        .order_by("recipient_id", "due", "pk")
    )
    plans = {}
    for notice in pending:
        plans.setdefault(notice.recipient_id, (notice.recipient.email, []))[1].append(notice)
    return plans


def make_digests(on, now=None):
    """One e-mail per person for ``on`` with every notice not yet e-mailed; return them.

    A person's digest of a day is made once: a second run of the day makes none, and
    notices that arrive after it wait for the next day's. Written in bulk: a few queries
    for any number of people.
    """
    now = now or timezone.now()
    plans = plan_digests()
    keys = {user_id: "digest:{}:{}".format(on.isoformat(), user_id) for user_id in plans}
    done = set()
    for chunk in _chunks(keys.values()):
        done |= set(Delivery.objects.filter(key__in=chunk).values_list("key", flat=True))
    due_at = not_before(now)
    made = [
        Delivery(
            channel=Channel.EMAIL,
            key=keys[user_id],
            subject=digest_subject(len(notices))[:300],
            body=_mail_text(notices),
            next_attempt_at=due_at,
            created_at=now,
            recipient_id=user_id,
            address=address,
        )
        for user_id, (address, notices) in plans.items()
        if keys[user_id] not in done
    ]
    if not made:
        return []
    try:
        with transaction.atomic():
            made = insert_objects(made)
            links = Delivery.notices.through
            carried = {d.recipient_id: d for d in made}
            links.objects.bulk_create(
                [
                    links(delivery_id=carried[user_id].pk, notice_id=notice.pk)
                    for user_id, (_address, notices) in plans.items()
                    if user_id in carried
                    for notice in notices
                ],
                batch_size=CHUNK,
            )
            mailed = [n.pk for uid in carried for n in plans[uid][1]]
            for chunk in _chunks(mailed):
                Notice.objects.filter(pk__in=chunk).update(mailed=True)
    except IntegrityError:  # a concurrent run of the day made them
        return []
    for delivery in made:
        delivery.carried = plans[delivery.recipient_id][1]
    return made


def earliest_due(notices):
    dues = [n.due for n in notices if isinstance(n.due, datetime.date)]
    return min(dues) if dues else None


def notify_unit(unit_id, *, also=(), **notice):
    """Tell the reporters of a unit (and ``also``, user ids) one thing; see ``notify``."""
    from vanguard.notices.recipients import reporters_of

    if unit_id is None:
        return []
    return notify([*reporters_of(unit_id), *also], unit=unit_id, **notice)
