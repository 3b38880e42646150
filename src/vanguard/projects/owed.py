"""What a unit owes for the major projects it leads, for its list (supervision.owed).

Each project it leads is a row with the project's light and its reason; it falls due
with the dekad report: last dekad's due date while its report is missing (a passed date
once it is late; only for a project that existed when that dekad ended, within the
campaign), else this dekad's until a report for this dekad is filed (and not returned),
then the next dekad's. A fixed number of queries for any number of projects.
"""

import datetime

from django.db.models import F
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
from vanguard.supervision.owed import Owed, shared

KIND = "project"


def owed_projects(campaign, unit, user, today=None):
    """The rows of the projects ``unit`` leads in ``campaign`` that ``user`` sees."""
    return owed_projects_of_units(campaign, [unit], user, today).get(unit.pk, [])


def owed_projects_of_units(campaign, units, user, today=None):
    """``{unit id: rows}`` of the projects ``units`` lead, in as many queries as for one."""
    projects = list(
        access.restrict(
            Project.objects.filter(campaign=campaign, lead_unit__in=[u.pk for u in units]), user
        )
        .annotate(responsible_user_id=F("responsible_person__user_id"))
        .only("pk", "code", "name", "created_at", "lead_unit_id")
        .order_by("code")
    )
    if not projects:
        return {}
    today = today or timezone.localdate()
    states = lights_for(SubjectKind.PROJECT, [p.pk for p in projects], campaign=campaign)
    dekad = period_containing(PeriodKind.DEKAD, today)
    last = period_containing(PeriodKind.DEKAD, dekad.start - datetime.timedelta(days=1))
    filed = set(
        DekadReport.objects.filter(project__in=projects, period_start__in=[last.start, dekad.start])
        .exclude(status=ReportStatus.RETURNED)
        .values_list("project_id", "period_start")
    )
    last_due, this_due, next_due = shared(
        ("project-dues", campaign.pk, dekad.start), lambda: _dues(campaign, last, dekad)
    )
    rows = {}
    for project in projects:
        state = states.get(project.pk)
        if _owes_last(project, last, campaign) and (project.pk, last.start) not in filed:
            due = last_due
        elif (project.pk, dekad.start) in filed:
            due = next_due
        else:
            due = this_due
        rows.setdefault(project.lead_unit_id, []).append(
            Owed(
                kind=KIND,
                label="{} {}".format(project.code, project.name),
                url=reverse("projects:detail", args=[project.code]),
                light=state.light if state else None,
                reason=state.reason_text if state else "",
                due=due,
                responsible_user_ids=(project.responsible_user_id,),
                battle=Battle.PROJECTS,
            )
        )
    return rows


def _dues(campaign, last, dekad):
    calendar = load_calendar()
    return tuple(dekad_due_date(campaign, d, calendar) for d in (last, dekad, dekad.next()))


def _owes_last(project, last, campaign):
    """Whether last dekad's report is owed: the project existed when it ended, in the campaign."""
    created = timezone.localdate(project.created_at)
    return created <= last.end and last.end >= campaign.start_date
