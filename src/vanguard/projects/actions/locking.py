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

from vanguard.core.compiled import Compiled
from vanguard.projects.choices import ReportStatus
from vanguard.projects.models import DekadReport, Project

LIVE = (ReportStatus.SUBMITTED, ReportStatus.CERTIFIED)


def _locked_projects(ids):
    # NO KEY UPDATE: writers of the project queue here, while a row that merely refers
    # to the project (a stage change, a report) is inserted without waiting for it.
    # The campaign comes in the same statement (its dates check a report), unlocked.
    return (
        Project.objects.select_for_update(no_key=True, of=("self",))
        .select_related("campaign")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def _locked_reports(ids, pairs):
    condition = Q(pk__in=list(ids)) if ids else Q(pk__in=[])
    if pairs:
        condition |= Q(
            project_id__in={project for project, _period in pairs},
            period__in={period for _project, period in pairs},
            status__in=LIVE,
        )
    return (
        DekadReport.objects.select_for_update(no_key=True, of=("self",))
        .filter(condition)
        .select_related("submitted_by", "reviewed_by")
        .order_by("pk")
    )


# A report filed, revised or corrected locks one project, and the live reports of one
# dekad (with the corrected one): these statements are written once a process.
_ONE_PROJECT = Compiled(lambda pk: _locked_projects([pk]), -918273645)
_ONE_DEKAD = Compiled(
    lambda project, period: _locked_reports((), [(project, period)]),
    -918273645,
    "vanguard-stand-in",
)
_ONE_DEKAD_AND_REPORT = Compiled(
    lambda report, project, period: _locked_reports([report], [(project, period)]),
    -918273645,
    -918273646,
    "vanguard-stand-in",
)


def lock_projects(project_ids):
    """Lock the projects of ``project_ids`` in id order; return them by id, as stored now."""
    ids = sorted(set(project_ids))
    projects = _ONE_PROJECT.objects(ids[0]) if len(ids) == 1 else _locked_projects(ids)
    return {project.pk: project for project in projects}


def lock_reports(ids=(), *, live_of=()):
    """Lock the reports ``ids`` and the live (waiting or certified) reports of the
    ``live_of`` (project id, dekad label) pairs, in id order; return them by id.

    Call it with the reports' projects locked (``lock_projects``): then the reports read
    are the ones a concurrent writer committed, and no new one appears until commit.
    """
    ids = sorted(set(ids))
    pairs = sorted(set(live_of))
    if len(pairs) == 1 and len(ids) <= 1:
        if ids:
            reports = _ONE_DEKAD_AND_REPORT.objects(ids[0], *pairs[0])
        else:
            reports = _ONE_DEKAD.objects(*pairs[0])
    else:
        reports = _locked_reports(ids, pairs)
    return {report.pk: report for report in reports}


def live_reports(reports, project_id, period):
    """The waiting and the certified report of one project and dekad among ``reports``."""
    return {
        report.status: report
        for report in reports.values()
        if report.project_id == project_id and report.period == period and report.status in LIVE
    }
