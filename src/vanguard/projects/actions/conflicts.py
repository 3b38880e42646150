"""Why a report can no longer be certified, returned or corrected, in words.

Read under the locks (``actions.locking``), so what is said is what is stored: who
revised, certified or returned the report and when, and which report waits or counts
in its place. The task force and the unit read these on the page and in the API.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.core.preconditions import STALE
from vanguard.org.models import name_of
from vanguard.projects.choices import ReportStatus

# Why a report was not certified (the API's ``refused[].code``).
REVISED = "revised"
REPLACED = "replaced"
RETURNED = "returned"
CERTIFIED = "certified"
MISSING = "missing"


def where(report, project=None):
    """The report as people name it: 项目 XHA-0001 2026年12月上旬."""
    code = (project or report.project).code
    return _("project {code}, {dekad}").format(code=code, dekad=report.period_display)


def at(moment):
    """A moment as the readers' clock shows it: 2026-03-05 10:00."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def not_waiting(report, live, project=None):
    """``(code, words, instead)``: why ``report`` no longer waits for certification, and
    the report that waits or counts in its place (None when there is none)."""
    place = where(report, project)
    waiting = live.get(ReportStatus.SUBMITTED)
    certified = live.get(ReportStatus.CERTIFIED)
    if report.status == ReportStatus.CERTIFIED:
        return (
            CERTIFIED,
            _("Report {id} of {where} is already certified (by {who} at {at}).").format(
                id=report.pk,
                where=place,
                who=name_of(report.reviewed_by),
                at=at(report.reviewed_at),
            ),
            None,
        )
    if report.status == ReportStatus.RETURNED:
        return (
            RETURNED,
            _("Report {id} of {where} was returned to its unit by {who} at {at}: {reason}").format(
                id=report.pk,
                where=place,
                who=name_of(report.reviewed_by),
                at=at(report.reviewed_at),
                reason=report.return_reason,
            ),
            None,
        )
    if waiting is not None and waiting.pk != report.pk:
        return (
            REVISED,
            _(
                "Report {id} of {where} was revised by {who} at {at}: report {new} replaced it"
                " and waits for certification. Read report {new} before certifying it."
            ).format(
                id=report.pk,
                where=place,
                who=name_of(waiting.submitted_by),
                at=at(waiting.submitted_at),
                new=waiting.pk,
            ),
            waiting,
        )
    if certified is not None:
        return (
            REPLACED,
            _(
                "Report {id} of {where} was replaced: report {new} counts for the dekad,"
                " certified by {who} at {at}."
            ).format(
                id=report.pk,
                where=place,
                new=certified.pk,
                who=name_of(certified.reviewed_by),
                at=at(certified.reviewed_at),
            ),
            certified,
        )
    return (
        REPLACED,
        _("Report {id} of {where} was replaced by a later report.").format(
            id=report.pk, where=place
        ),
        None,
    )


def missing(report_id):
    return (
        MISSING,
        _("There is no report {id} you may certify.").format(id=report_id),
        None,
    )


def not_correctable(report, live, project):
    """The refusal of a correction of ``report``, which is not the dekad's certified report.

    409 (stale) when it was certified and another report has taken its place since: the
    unit corrects that one. 422 when it never was certified: it is resubmitted instead.
    """
    certified = live.get(ReportStatus.CERTIFIED)
    # Certified once, then superseded: a certification replaced it since it was read.
    was_certified = report.status == ReportStatus.SUPERSEDED and report.reviewed_at is not None
    if was_certified and certified is not None:
        return ValidationError(
            _(
                "Report {id} of {where} no longer counts: report {new} was certified in its"
                " place by {who} at {at}. Read report {new}, and correct it if it needs"
                " correcting."
            ).format(
                id=report.pk,
                where=where(report, project),
                new=certified.pk,
                who=name_of(certified.reviewed_by),
                at=at(certified.reviewed_at),
            ),
            code=STALE,
        )
    return ValidationError(_("Only a certified report is corrected; this one can be resubmitted."))
