"""What a unit owes for the major projects it leads, for its list (supervision.owed).

Each project it leads is a row with the project's light and its reason; it falls due
with the dekad report: this dekad's due date until a report for this dekad is filed
(and not returned), then the next dekad's. A fixed number of queries for any number of
projects.
"""

from django.urls import reverse
from django.utils import timezone

from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.calendar.services import load_calendar
from vanguard.org import access
from vanguard.org.choices import Battle
from vanguard.projects.choices import ReportStatus
from vanguard.projects.deadlines import dekad_due_date
from vanguard.projects.lights import SubjectKind
from vanguard.projects.models import DekadReport, Project
from vanguard.supervision.lights import lights_for
from vanguard.supervision.owed import Owed

KIND = "project"


def owed_projects(campaign, unit, user, today=None):
    """The rows of the projects ``unit`` leads in ``campaign`` that ``user`` sees."""
    projects = list(
        access.restrict(Project.objects.filter(campaign=campaign, lead_unit=unit), user)
        .only("pk", "code", "name")
        .order_by("code")
    )
    if not projects:
        return []
    today = today or timezone.localdate()
    states = lights_for(SubjectKind.PROJECT, [p.pk for p in projects], campaign=campaign)
    dekad = period_containing(PeriodKind.DEKAD, today)
    filed = set(
        DekadReport.objects.filter(project__in=projects, period_start=dekad.start)
        .exclude(status=ReportStatus.RETURNED)
        .values_list("project_id", flat=True)
    )
    calendar = load_calendar()
    this_due = dekad_due_date(campaign, dekad, calendar)
    next_due = dekad_due_date(campaign, dekad.next(), calendar)
    rows = []
    for project in projects:
        state = states.get(project.pk)
        rows.append(
            Owed(
                kind=KIND,
                label="{} {}".format(project.code, project.name),
                url=reverse("projects:detail", args=[project.code]),
                light=state.light if state else None,
                reason=state.reason_text if state else "",
                due=next_due if project.pk in filed else this_due,
                battle=Battle.PROJECTS,
            )
        )
    return rows
