"""What the units' lists hand out to the work queue (supervision.queue).

- A unit's reporters: each item's progress due (last period of its cadence while it is
  not reported, then this one), with its due date under the campaign's deadline rule
  and the one calendar, late once that day has passed; and the reports the task force
  returned, with its reason, until they are reported again.
- A battle's task force: the progress reports of its items waiting for verification
  (never its own unit's).

Each kind reads in a fixed number of queries however many items.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.calendar.due import due
from vanguard.calendar.periods import parse_label
from vanguard.calendar.services import load_calendar
from vanguard.lists.choices import ReportState
from vanguard.lists.models import ListItem, ProgressReport
from vanguard.lists.periods import current_period, period_kind
from vanguard.org import access
from vanguard.org.choices import Cadence
from vanguard.org.queries import report_working_days
from vanguard.supervision.queue import (
    REPORTER,
    TASK_FORCE,
    QueueItem,
    Section,
    first_due,
    register_queue,
)

# A period is reported once its report waits for verification or counts.
LIVE = (ReportState.SUBMITTED, ReportState.VERIFIED)


def _reports_for_some_unit(user):
    return bool(access.access_for(user).unit_ids)


def _verifies(user):
    return access.may_verify_some_progress(user)


def _item_url(item, campaign, anchor=""):
    return "{}?campaign={}{}".format(
        reverse("lists:detail", args=[item.code]), campaign.code, anchor
    )


def _label(item, period):
    requirement = " ".join(item.requirement.split())
    if len(requirement) > 40:
        requirement = requirement[:39] + "…"
    return _("{code} {requirement}: progress for {period}").format(
        code=item.code, requirement=requirement, period=period.display_label
    )


def cadence_periods(campaign, today, cadences, calendar=None):
    """``{cadence: [(period, Due)]}``: last period and this one of each cadence, those
    that end on or after the campaign's start. One query per cadence."""
    calendar = calendar or load_calendar()
    found = {}
    for cadence in cadences:
        this = current_period(cadence, today)
        days = report_working_days(campaign, period_kind(cadence))
        found[cadence] = [
            (p, due(p, calendar, days))
            for p in (this.previous(), this)
            if p.end >= campaign.start_date
        ]
    return found


def progress_due(campaign, user, today, limit):
    """For each item the user's units owe, the earliest of last and this period whose
    progress is not reported, with its due date; until the item's deadline."""
    held = access.access_for(user)
    items = list(
        ListItem.objects.filter(campaign=campaign, unit_id__in=held.unit_ids)
        .select_related("unit")
        .only("pk", "code", "requirement", "cadence", "deadline", "unit__name")
    )
    if not items:
        return Section(0)
    periods = cadence_periods(
        campaign, today, sorted({item.cadence for item in items} & set(Cadence.values))
    )
    filed = set(
        ProgressReport.objects.filter(
            item__in=items,
            period__in={p.label for rows in periods.values() for p, _due in rows},
            state__in=LIVE,
        ).values_list("item_id", "period")
    )
    found = []
    for item in items:
        for period, when in periods.get(item.cadence, []):
            if period.start > item.deadline or (item.pk, period.label) in filed:
                continue
            found.append(
                QueueItem(
                    label=_label(item, period),
                    url=_item_url(item, campaign, "#report-form"),
                    due=when.day,
                    late=today > when.day,
                    unit=item.unit.name,
                )
            )
            break
    return first_due(found, limit)


def item_due(item, today):
    """What the item's report form says of its due date: the earliest of last and this
    period not reported (else this period, reported), its due date, and whether late."""
    periods = cadence_periods(item.campaign, today, [item.cadence]).get(item.cadence, [])
    if not periods:
        return None
    live = dict(
        ProgressReport.objects.filter(
            item=item, period__in=[p.label for p, _due in periods], state__in=LIVE
        ).values_list("period", "reported_at")
    )
    open_periods = [(p, when) for p, when in periods if p.label not in live]
    period, when = open_periods[0] if open_periods else periods[-1]
    reported = live.get(period.label)
    return {
        "period": period.display_label,
        "day": when.day,
        "provisional": when.provisional,
        "filed": reported is not None,
        "filed_late": reported is not None and timezone.localdate(reported) > when.day,
        "late": reported is None and today > when.day,
    }


def progress_returned(campaign, user, today, limit):
    """The user's units' progress reports the task force returned, with its reason."""
    held = access.access_for(user)
    returned = ProgressReport.objects.filter(
        item__campaign=campaign, item__unit_id__in=held.unit_ids, state=ReportState.RETURNED
    )
    items = []
    for report in returned.select_related("item__unit").order_by("period_start", "pk")[:limit]:
        period = parse_label(report.period)
        items.append(
            QueueItem(
                label=_label(report.item, period),
                url=_item_url(report.item, campaign, "#report-form"),
                reason=report.return_reason,
                unit=report.item.unit.name,
            )
        )
    return Section(returned.count(), items)


def progress_to_verify(campaign, user, today, limit):
    """Reports on the items of the user's battles waiting for verification, oldest first."""
    held = access.access_for(user)
    waiting = ProgressReport.objects.filter(
        item__campaign=campaign, item__battle__in=held.battles, state=ReportState.SUBMITTED
    ).exclude(item__unit_id__in=held.unit_ids)
    items = []
    for report in waiting.select_related("item__unit").order_by("period_start", "pk")[:limit]:
        items.append(
            QueueItem(
                label=_label(report.item, parse_label(report.period)),
                url=_item_url(report.item, campaign),
                unit=report.item.unit.name,
            )
        )
    return Section(waiting.count(), items)


def register():
    register_queue(
        "progress_due",
        gettext_lazy("List progress due"),
        progress_due,
        role=REPORTER,
        applies=_reports_for_some_unit,
        more_url="lists:list",
    )
    register_queue(
        "progress_returned",
        gettext_lazy("List progress returned"),
        progress_returned,
        role=REPORTER,
        applies=_reports_for_some_unit,
    )
    register_queue(
        "progress_to_verify",
        gettext_lazy("List progress to verify"),
        progress_to_verify,
        role=TASK_FORCE,
        applies=_verifies,
        more_url="lists:list",
    )
