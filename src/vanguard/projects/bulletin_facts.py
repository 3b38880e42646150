"""The dekad reports' facts for the monthly bulletin (supervision.bulletins.facts).

For a month: the dekad reports that fell due in it (by the campaign's deadline rule) and
were due by the cut-off, one per project its lead unit leads; which were filed on time,
late, or not at all by the cut-off; and the reports the task force returned or certified
in the month. Counted per lead unit, in a fixed number of queries.
"""

import datetime
from collections import defaultdict

from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.calendar.periods import PeriodKind, periods_between
from vanguard.calendar.services import load_calendar
from vanguard.core.counting import counted_by
from vanguard.projects.choices import ReportStatus
from vanguard.projects.deadlines import dekad_due_date
from vanguard.projects.models import DekadReport, Project

FACTS = {
    "reports_due": _("dekad reports due"),
    "reports_on_time": _("dekad reports on time"),
    "reports_late": _("dekad reports late"),
    "reports_missing": _("dekad reports missing"),
    "reports_returned": _("dekad reports returned"),
    "reports_certified": _("dekad reports certified"),
}


def _day_start(day):
    """The first moment of ``day`` in Beijing, as an aware datetime (no per-row date cast)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def due_dekads(campaign, start, end, cutoff):
    """The dekads whose reports fell due between ``start`` and ``end`` and by the cut-off."""
    calendar = load_calendar()
    last_day = min(end, timezone.localtime(cutoff).date())
    earlier = start.replace(day=1) - datetime.timedelta(days=31)
    candidates = periods_between(PeriodKind.DEKAD, earlier, end)
    return [
        dekad
        for dekad in candidates
        if start <= dekad_due_date(campaign, dekad, calendar) <= last_day
    ]


def report_facts(campaign, start, end, cutoff):
    """``{unit_id: {fact: count}}`` of the dekad reports of the window."""
    facts = defaultdict(lambda: dict.fromkeys(FACTS, 0))
    dekads = due_dekads(campaign, start, end, cutoff)
    projects = Project.objects.filter(campaign=campaign, created_at__lte=cutoff)
    if dekads:
        for row in projects.values("lead_unit_id").annotate(n=Count("pk")).order_by():
            facts[row["lead_unit_id"]]["reports_due"] += row["n"] * len(dekads)
        filed = (
            DekadReport.objects.filter(
                # Every status named, so the (status, period_start) index finds the dekads.
                status__in=ReportStatus.values,
                period_start__in=[d.start for d in dekads],
                project__campaign=campaign,
                project__created_at__lte=cutoff,
                submitted_at__lte=cutoff,
            )
            .values("project_id", "period_start")
            .annotate(
                counted_unit=F("project__lead_unit_id"),
                counted_late=Case(
                    When(Exact(Count("pk", filter=Q(late=False)), 0), then=Value(1)),
                    default=Value(0),
                ),
            )
            .values("counted_unit", "counted_late")
            .order_by()
        )
        # One row per project and dekad, counted per unit in the database.
        for (unit_id, late), n in counted_by(filed, ["counted_unit", "counted_late"]).items():
            facts[unit_id]["reports_late" if late else "reports_on_time"] += n
        for unit in facts.values():
            unit["reports_missing"] = max(
                0, unit["reports_due"] - unit["reports_on_time"] - unit["reports_late"]
            )
    reviewed = (
        DekadReport.objects.filter(
            project__campaign=campaign,
            reviewed_at__gte=_day_start(start),
            reviewed_at__lt=_day_start(end + datetime.timedelta(days=1)),
        )
        .filter(reviewed_at__lte=cutoff)
        .values("unit_id")
        .annotate(
            returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
            certified=Count(
                "pk", filter=Q(status__in=[ReportStatus.CERTIFIED, ReportStatus.SUPERSEDED])
            ),
        )
        .order_by()
    )
    for row in reviewed:
        facts[row["unit_id"]]["reports_returned"] += row["returned"]
        facts[row["unit_id"]]["reports_certified"] += row["certified"]
    return dict(facts)


def reports_link(campaign, unit_code, start, end):
    """The unit's projects, each with its reports."""
    return "{}?unit={}".format(reverse("projects:list"), unit_code)
