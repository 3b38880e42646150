"""Reminders of due dates: before, on the day and while overdue, to the people who owe.

What a unit owes, and by when, is its list (``supervision.owed``). Each day the scan
reads every unit's list as of that day and, per the campaign's reminder policy of the
row's cadence (the cadence of its battle's task force):

- ``before``: the day that is ``days_before`` working days ahead of the due date;
- ``today``: the due date itself;
- ``overdue``: the first working day after it, and every ``overdue_every`` working
  days after that, while the row is still owed with that date.

Only working days remind (the one calendar, ``vanguard.calendar``). The unit's reporters
and the row's responsible people get a notice each (their inbox at once, their e-mail
in the day's digest); each robot of the unit gets one message for the day, and each
robot of a task force one message with the overdue rows of its battle. A notice is keyed
by what it is about, and a robot's message by the day, so a second run of a day sends
nothing twice.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.calendar.services import load_calendar
from vanguard.notices.choices import NoticeKind
from vanguard.notices.models import Delivery, Notice, ReminderPolicy, Webhook
from vanguard.notices.recipients import reporters_by_unit
from vanguard.notices.send import earliest_due, make_digests, plan_digests, record, robot_delivery
from vanguard.org.access import SYSTEM
from vanguard.org.choices import Cadence, CampaignStatus, Role
from vanguard.org.models import Campaign, TaskForce, Unit
from vanguard.supervision.owed import one_scan, units_owed

BEFORE, TODAY, OVERDUE = "before", "today", "overdue"
KINDS = {BEFORE: NoticeKind.DUE_SOON, TODAY: NoticeKind.DUE_TODAY, OVERDUE: NoticeKind.OVERDUE}
DEFAULT_DAYS_BEFORE = 2
DEFAULT_OVERDUE_EVERY = 2
# Units whose lists are read together: a few queries per batch, few enough ids per query.
UNITS_AT_ONCE = 200


@dataclass(frozen=True)
class Reminder:
    """One row of a unit's list that reminds today, and at which stage."""

    campaign: Campaign
    unit: Unit
    row: object
    stage: str

    @property
    def subject(self):
        label, due = self.row.label, self.row.due.isoformat()
        if self.stage == BEFORE:
            return _("Due on {due}: {label}").format(due=due, label=label)
        if self.stage == TODAY:
            return _("Due today: {label}").format(label=label)
        return _("Overdue since {due}: {label}").format(due=due, label=label)

    def key(self, on):
        """What the reminder is about: once per due date and stage (overdue: per day)."""
        key = "remind:{}:{}:{}:{}:{}".format(
            self.campaign.pk, self.row.kind, self.row.url, self.row.due.isoformat(), self.stage
        )
        return key + ":" + on.isoformat() if self.stage == OVERDUE else key


def policies(campaign):
    """``{cadence: (days_before, overdue_every)}`` of a campaign, defaults filled in."""
    found = {
        p.cadence: (p.days_before, p.overdue_every)
        for p in ReminderPolicy.objects.filter(campaign=campaign)
    }
    default = (DEFAULT_DAYS_BEFORE, DEFAULT_OVERDUE_EVERY)
    return {cadence: found.get(cadence, default) for cadence in Cadence.values}


def stage_of(due, on, policy, calendar):
    """The stage ``due`` reminds at on ``on`` under ``(days_before, overdue_every)``, or None."""
    if due is None or not calendar.is_working_day(on):
        return None
    days_before, every = policy
    if due == on:
        return TODAY
    if due > on:
        if (
            days_before
            and calendar.working_days_between(on + datetime.timedelta(days=1), due) == days_before
        ):
            return BEFORE
        return None
    late = calendar.working_days_between(due + datetime.timedelta(days=1), on)
    return OVERDUE if late >= 1 and (late - 1) % max(every, 1) == 0 else None


def scan(on):
    """Every reminder of every active campaign on ``on``."""
    calendar = load_calendar().with_provisional()
    reporters = Q(reporters__role=Role.UNIT_REPORTER) | Q(webhooks__active=True)
    units = list(Unit.objects.filter(reporters).distinct().order_by("code"))
    found = []
    campaigns = Campaign.objects.filter(
        status=CampaignStatus.ACTIVE, start_date__lte=on, end_date__gte=on
    ).order_by("pk")
    for campaign in campaigns:
        policy = policies(campaign)
        cadence_of = dict(
            TaskForce.objects.filter(campaign=campaign).values_list("battle", "cadence")
        )
        with one_scan():
            for start in range(0, len(units), UNITS_AT_ONCE):
                chunk = units[start : start + UNITS_AT_ONCE]
                owed = units_owed(campaign, chunk, SYSTEM, today=on)
                for unit in chunk:
                    for row in owed[unit.pk]:
                        cadence = cadence_of.get(str(row.battle), Cadence.MONTHLY)
                        stage = stage_of(row.due, on, policy[cadence], calendar)
                        if stage is not None:
                            found.append(Reminder(campaign, unit, row, stage))
    return found


def _notices(reminders, on, now):
    people = reporters_by_unit({r.unit.pk for r in reminders})
    notices = []
    for reminder in reminders:
        recipients = {*people.get(reminder.unit.pk, []), *reminder.row.responsible_user_ids}
        for user_id in sorted(r for r in recipients if r is not None):
            notices.append(
                Notice(
                    recipient_id=user_id,
                    campaign=reminder.campaign,
                    unit=reminder.unit,
                    kind=KINDS[reminder.stage],
                    subject=reminder.subject[:300],
                    body=reminder.row.reason,
                    url=reminder.row.url,
                    due=reminder.row.due,
                    key=reminder.key(on)[:300],
                    created_at=now,
                )
            )
    return notices


def _robot_messages(reminders, on):
    """``[(hook, key, subject, [reminders])]``: each robot's message of the day."""
    by_unit, by_battle = {}, {}
    for reminder in reminders:
        by_unit.setdefault(reminder.unit.pk, []).append(reminder)
        if reminder.stage == OVERDUE:
            by_battle.setdefault((reminder.campaign.pk, str(reminder.row.battle)), []).append(
                reminder
            )
    hooks = (
        Webhook.objects.filter(active=True)
        .filter(Q(unit_id__in=list(by_unit)) | Q(task_force__isnull=False))
        .select_related("unit", "task_force")
    )
    messages = []
    for hook in hooks.order_by("pk"):
        if hook.unit_id is not None:
            rows = by_unit.get(hook.unit_id, [])
            subject = _("Vanguard reminders for {unit}, {day}").format(
                unit=hook.unit.name, day=on.isoformat()
            )
        else:
            tf = hook.task_force
            rows = by_battle.get((tf.campaign_id, tf.battle), [])
            subject = _("Vanguard: overdue in {task_force}, {day}").format(
                task_force=tf.name, day=on.isoformat()
            )
        if rows:
            messages.append(
                (hook, "remind:{}:hook:{}".format(on.isoformat(), hook.pk), subject, rows)
            )
    return messages


def _lines(reminders, with_unit=False):
    lines = []
    for r in reminders:
        text = r.subject
        if with_unit:
            text = "{}：{}".format(r.unit.name, text)
        lines.append(text)
    return lines


def _items(reminders):
    return [
        {
            "unit": r.unit.name,
            "stage": r.stage,
            "subject": r.subject,
            "due": r.row.due.isoformat(),
            "url": r.row.url,
        }
        for r in reminders
    ]


def remind(on=None, *, dry_run=False, now=None):
    """Remind of what is due around ``on``; return what is (or would be) sent, as dicts
    of ``recipient``, ``channel``, ``subject`` and ``due``. A dry run changes nothing."""
    on = on or timezone.localdate()
    now = now or timezone.now()
    reminders = scan(on)
    notices = _notices(reminders, on, now)
    robots = _robot_messages(reminders, on)
    if dry_run:
        return _would_send(notices, robots, on)
    stored = record(notices)
    lines = [
        _line(n.recipient.get_username(), "inbox", n.subject, n.due) for n in _with_users(stored)
    ]
    for delivery in make_digests(on, now=now):
        dues = earliest_due(delivery.carried)
        lines.append(_line(delivery.recipient.get_username(), "email", delivery.subject, dues))
    for hook, key, subject, rows in robots:
        delivery = robot_delivery(
            hook, key, subject, _lines(rows, with_unit=hook.unit_id is None), _items(rows), now
        )
        if delivery is not None:
            delivery.notices.add(*_unit_notices(stored, rows))
            lines.append(_line(hook.name, hook.kind, subject, min(r.row.due for r in rows)))
    return lines


def _with_users(notices):
    ids = {n.recipient_id for n in notices}
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk(ids)
    for notice in notices:
        notice.recipient = users[notice.recipient_id]
    return notices


def _unit_notices(stored, rows):
    keys = {(r.unit.pk, r.row.url, r.row.due) for r in rows}
    return [n for n in stored if (n.unit_id, n.url, n.due) in keys]


def _would_send(notices, robots, on):
    """What a run would send now, without storing anything."""
    from django.contrib.auth import get_user_model

    existing = set()
    keys = sorted({n.key for n in notices})
    for start in range(0, len(keys), 500):
        existing |= set(
            Notice.objects.filter(key__in=keys[start : start + 500]).values_list(
                "recipient_id", "key"
            )
        )
    fresh, seen = [], set()
    for notice in notices:
        pair = (notice.recipient_id, notice.key)
        if pair not in existing and pair not in seen:
            seen.add(pair)
            fresh.append(notice)
    users = get_user_model().objects.in_bulk({n.recipient_id for n in fresh})
    lines = [_line(users[n.recipient_id].get_username(), "inbox", n.subject, n.due) for n in fresh]
    # Each person's digest: what waits unmailed now, plus what this run would add.
    digests = {uid: list(found) for uid, (_address, found) in plan_digests().items()}
    made_today = set(
        Delivery.objects.filter(key__startswith="digest:{}:".format(on.isoformat())).values_list(
            "recipient_id", flat=True
        )
    )
    from vanguard.notices.send import digest_subject, mail_on

    if mail_on():
        for notice in fresh:
            if users[notice.recipient_id].email and users[notice.recipient_id].is_active:
                digests.setdefault(notice.recipient_id, []).append(notice)
    for user_id, found in sorted(digests.items()):
        if user_id in made_today:
            continue
        user = users.get(user_id) or get_user_model().objects.get(pk=user_id)
        lines.append(
            _line(user.get_username(), "email", digest_subject(len(found)), earliest_due(found))
        )
    done = set(
        Delivery.objects.filter(key__in=[k for _h, k, _s, _r in robots]).values_list(
            "key", flat=True
        )
    )
    for hook, key, subject, rows in robots:
        if key not in done:
            lines.append(_line(hook.name, hook.kind, subject, min(r.row.due for r in rows)))
    return lines


def _line(recipient, channel, subject, due):
    return {
        "recipient": recipient,
        "channel": str(channel),
        "subject": str(subject),
        "due": due.isoformat() if due else None,
    }
