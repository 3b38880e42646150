"""Dekad reports' due dates counted again when a year's holidays change."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.calendar.services import load_calendar
from vanguard.org.models import Campaign
from vanguard.projects.deadlines import dekad_due
from vanguard.projects.models import DekadReport


def do_recount_due_dates(years, *, actor):
    """Count dekad reports' due dates again after the holidays of ``years`` changed.

    Provisional dates (暂定, counted before a year's arrangement was entered) and dates
    falling in a changed year take the date the calendar gives now; whether each report
    was late follows from its submission day. One date per campaign and dekad, and only
    the reports whose values change are read and logged. Returns how many changed.
    """
    calendar = load_calendar()
    reason = _("Holiday arrangement of {years} changed").format(
        years="、".join(str(year) for year in sorted(years))
    )
    scope = Q(due_provisional=True) | Q(due_date__year__in=list(years))
    with transaction.atomic():
        groups = list(
            DekadReport.objects.filter(scope)
            .values_list("project__campaign_id", "period_start")
            .distinct()
        )
        campaigns = Campaign.objects.in_bulk({campaign_id for campaign_id, _start in groups})
        changed = []
        for campaign_id, start in groups:
            due = dekad_due(
                campaigns[campaign_id], period_containing(PeriodKind.DEKAD, start), calendar
            )
            # Late: filed after the due day ended, in local time.
            cutoff = timezone.make_aware(
                datetime.datetime.combine(due.day + datetime.timedelta(days=1), datetime.time())
            )
            filed_late = Q(submitted_at__gte=cutoff)
            stale = DekadReport.objects.filter(
                scope, project__campaign_id=campaign_id, period_start=start
            ).filter(
                ~Q(due_date=due.day)
                | ~Q(due_provisional=due.provisional)
                | (filed_late & Q(late=False))
                | (~filed_late & Q(late=True))
            )
            for report in stale.only(
                "id", "project_id", "period", "due_date", "due_provisional", "late", "submitted_at"
            ):
                before = {
                    "due_date": report.due_date,
                    "due_provisional": report.due_provisional,
                    "late": report.late,
                }
                report.due_date, report.due_provisional = due.day, due.provisional
                report.late = report.submitted_at >= cutoff
                after = {
                    "due_date": report.due_date,
                    "due_provisional": report.due_provisional,
                    "late": report.late,
                }
                changed.append(Change(report, ChangeAction.UPDATE, before, after, reason))
        DekadReport.objects.bulk_update(
            [change.obj for change in changed],
            ["due_date", "due_provisional", "late"],
            batch_size=1000,
        )
        record_changes(changed, actor=actor)
    return len(changed)
