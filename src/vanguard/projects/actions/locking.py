"""The locks every change of a dekad report takes, and their order (see decision 0028).

A write that changes a report's state (submit, revise, correct, certify, return) takes,
inside its transaction and before it reads what it will change:

1. the rows of the projects concerned, in id order: the gate. No report of a project
   is filed, replaced, certified or returned without it, so two writers of one project's
   reports queue here, and the second reads what the first committed (PostgreSQL reads
   each statement afresh under READ COMMITTED once the lock is granted; SQLite lets one
   writer in at a time);
2. the reports it reads and changes, in id order, in one statement;
3. then the key nodes (milestones) it changes, in id order;
4. and last the change log's head (``record_changes``), which every write takes.

Taken in this order by everyone, no two writers wait for each other in a circle, so
PostgreSQL never has a deadlock to break. Reads that only show (pages, lists) take no lock.
"""

from django.db.models import Q

from vanguard.projects.choices import ReportStatus
from vanguard.projects.models import DekadReport, Project

LIVE = (ReportStatus.SUBMITTED, ReportStatus.CERTIFIED)


def lock_projects(project_ids):
    """Lock the projects of ``project_ids`` in id order; return them by id, as stored now."""
    ids = sorted(set(project_ids))
    # NO KEY UPDATE: writers of the project queue here, while a row that merely refers
    # to the project (a stage change, a report) is inserted without waiting for it.
    # The campaign comes in the same statement (its dates check a report), unlocked.
    projects = (
        Project.objects.select_for_update(no_key=True, of=("self",))
        .select_related("campaign")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    return {project.pk: project for project in projects}


def lock_reports(ids=(), *, live_of=()):
    """Lock the reports ``ids`` and the live (waiting or certified) reports of the
    ``live_of`` (project id, dekad label) pairs, in id order; return them by id.

    Call it with the reports' projects locked (``lock_projects``): then the reports read
    are the ones a concurrent writer committed, and no new one appears until commit.
    """
    condition = Q(pk__in=list(ids)) if ids else Q(pk__in=[])
    pairs = sorted(set(live_of))
    if pairs:
        condition |= Q(
            project_id__in={project for project, _period in pairs},
            period__in={period for _project, period in pairs},
            status__in=LIVE,
        )
    reports = (
        DekadReport.objects.select_for_update(no_key=True, of=("self",))
        .filter(condition)
        .select_related("submitted_by", "reviewed_by")
        .order_by("pk")
    )
    return {report.pk: report for report in reports}


def live_reports(reports, project_id, period):
    """The waiting and the certified report of one project and dekad among ``reports``."""
    return {
        report.status: report
        for report in reports.values()
        if report.project_id == project_id and report.period == period and report.status in LIVE
    }
