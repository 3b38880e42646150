"""What the projects hand out to the work queue (supervision.queue).

- A lead unit's reporters: the dekad reports due (last dekad's while it is not filed,
  then this dekad's), each with its due date under the campaign's deadline rule and the
  one calendar, late once that day has passed; and the reports the task force returned,
  with its reason, until they are filed again.
- The projects task force: the reports waiting for certification.

Each kind reads in a fixed number of queries however many projects.
"""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.calendar.services import load_calendar
from vanguard.org import access
from vanguard.org.choices import Battle
from vanguard.projects import queries
from vanguard.projects.choices import ReportStatus
from vanguard.projects.deadlines import dekad_due
from vanguard.projects.models import DekadReport, Project
from vanguard.supervision.queue import (
    REPORTER,
    TASK_FORCE,
    QueueItem,
    Section,
    first_due,
    register_queue,
)

# A dekad is filed once a report of it waits for certification or counts.
LIVE = (ReportStatus.SUBMITTED, ReportStatus.CERTIFIED)


def _reports_for_some_unit(user):
    return bool(access.access_for(user).unit_ids)


def _certifies(user):
    return access.may_certify(user, Battle.PROJECTS)


def due_dekads(campaign, today, calendar=None):
    """``[(dekad, Due)]`` a project's report may be owed for on ``today``: last dekad
    (once the campaign had begun) and this one."""
    calendar = calendar or load_calendar()
    this = period_containing(PeriodKind.DEKAD, today)
    dekads = [this.previous(), this]
    return [(d, dekad_due(campaign, d, calendar)) for d in dekads if d.end >= campaign.start_date]


def reports_due(campaign, user, today, limit):
    """For each project the user's units lead, the earliest of last and this dekad whose
    report is not filed, with its due date; late once the date has passed."""
    held = access.access_for(user)
    projects = list(
        Project.objects.filter(campaign=campaign, lead_unit_id__in=held.unit_ids)
        .select_related("lead_unit")
        .only("pk", "code", "name", "lead_unit__name")
    )
    dekads = due_dekads(campaign, today)
    if not projects or not dekads:
        return Section(0)
    filed = set(
        DekadReport.objects.filter(
            project__in=projects,
            period_start__in=[d.start for d, _due in dekads],
            status__in=LIVE,
        ).values_list("project_id", "period_start")
    )
    items = []
    for project in projects:
        for dekad, due in dekads:
            if (project.pk, dekad.start) in filed:
                continue
            items.append(
                QueueItem(
                    label=_("{code} {name}: report for {dekad}").format(
                        code=project.code, name=project.name, dekad=dekad.display_label
                    ),
                    url="{}?period={}".format(
                        reverse("projects:report", args=[project.code]), dekad.label
                    ),
                    due=due.day,
                    late=today > due.day,
                    unit=project.lead_unit.name,
                )
            )
            break
    return first_due(items, limit)


def reports_returned(campaign, user, today, limit):
    """The user's units' reports the task force returned and that are not filed again."""
    held = access.access_for(user)
    filed_again = DekadReport.objects.filter(
        project=OuterRef("project"), period=OuterRef("period"), status__in=LIVE
    )
    returned = DekadReport.objects.filter(
        project__campaign=campaign,
        project__lead_unit_id__in=held.unit_ids,
        status=ReportStatus.RETURNED,
    ).filter(~Exists(filed_again))
    rows = returned.select_related("project", "unit").order_by("due_date", "pk")[:limit]
    items = [
        QueueItem(
            label=_("{code} {name}: report for {dekad}").format(
                code=report.project.code,
                name=report.project.name,
                dekad=period_containing(PeriodKind.DEKAD, report.period_start).display_label,
            ),
            url="{}?period={}".format(
                reverse("projects:report", args=[report.project.code]), report.period
            ),
            due=report.due_date,
            late=today > report.due_date,
            reason=report.return_reason,
            unit=report.unit.name,
        )
        for report in rows
    ]
    # Distinct dekads only: a dekad returned twice is one report to file again.
    count = returned.values("project_id", "period").distinct().count()
    late = returned.filter(due_date__lt=today).values("project_id", "period").distinct().count()
    return Section(count, _one_per_dekad(items), late)


def _one_per_dekad(items):
    seen, kept = set(), []
    for item in items:
        if item.url not in seen:
            seen.add(item.url)
            kept.append(item)
    return kept


def reports_to_certify(campaign, user, today, limit):
    """Reports waiting for the projects task force, the oldest dekad first, in the
    certification queue's own order and count (``projects.queries``), which its indexes
    serve however many wait. Whether each came late is on the item; the late ones are not
    counted apart, which would read every waiting report."""
    waiting = queries.certification_queue(user, campaign).select_related(None)
    items = [
        QueueItem(
            label=_("{code} {name}: report for {dekad}").format(
                code=report.project.code,
                name=report.project.name,
                dekad=period_containing(PeriodKind.DEKAD, report.period_start).display_label,
            ),
            url=reverse("projects:report_detail", args=[report.pk]),
            # Its due date is the unit's; the task force is told only whether it came late.
            late=report.late,
            unit=report.unit.name,
        )
        for report in waiting.select_related("project", "unit").prefetch_related(None)[:limit]
    ]
    counted = queries.count_waiting(user, campaign, limit=queries.COUNT_LIMIT)
    return Section(min(counted, queries.COUNT_LIMIT), items, more=counted > queries.COUNT_LIMIT)


def register():
    register_queue(
        "reports_due",
        gettext_lazy("Dekad reports due"),
        reports_due,
        role=REPORTER,
        applies=_reports_for_some_unit,
        more_url="projects:list",
    )
    register_queue(
        "reports_returned",
        gettext_lazy("Dekad reports returned"),
        reports_returned,
        role=REPORTER,
        applies=_reports_for_some_unit,
    )
    register_queue(
        "reports_to_certify",
        gettext_lazy("Dekad reports to certify"),
        reports_to_certify,
        role=TASK_FORCE,
        applies=_certifies,
        more_url="projects:certification",
    )
