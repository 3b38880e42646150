"""Certifying (认定) and returning dekad reports: only certified facts change a project's
stage, dates and milestones.

A certification takes the locks of ``actions.locking`` in their order, reads each report
again under them and certifies those still waiting; every other one is named with why
(revised, returned, certified already), so a batch is never refused whole for one report
the unit changed meanwhile.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.core.actors import user_of
from vanguard.core.preconditions import STALE
from vanguard.notices.choices import NoticeKind
from vanguard.notices.send import notify_unit
from vanguard.org import access
from vanguard.org.choices import Battle
from vanguard.projects.actions import conflicts
from vanguard.projects.actions.common import local_today, recompute_lights
from vanguard.projects.actions.locking import live_reports, lock_projects, lock_reports
from vanguard.projects.actions.projects import move_stage
from vanguard.projects.choices import STAGE_ORDER, MilestoneState, ReportStatus, Stage
from vanguard.projects.models import DekadReport, Milestone, ReportedNode

# What a review changes on a report; the change log records these before and after.
REVIEW_FIELDS = ["status", "reviewed_by", "reviewed_at"]


@dataclass
class Refusal:
    """A report a certification did not certify, and why, in words."""

    report_id: int
    code: str
    reason: str
    report: DekadReport | None = None
    # The report that waits or counts in its place, when there is one.
    instead: DekadReport | None = None


@dataclass
class Certification:
    """What a certification did: the reports certified, and each one refused with why."""

    certified: list = field(default_factory=list)
    refused: list = field(default_factory=list)


class CertificationRefused(ValidationError):
    """No report of the batch could be certified; ``refused`` says why for each (409)."""

    def __init__(self, refused):
        lines = [refusal.reason for refusal in refused]
        super().__init__(
            ngettext(
                "The report was not certified: {reasons}",
                "None of the {n} reports was certified: {reasons}",
                len(refused),
            ).format(n=len(refused), reasons=" ".join(lines)),
            code=STALE,
        )
        self.refused = refused


def do_certify_reports(reports, *, actor, today=None):
    """Certify the reports (or ids) that still wait (认定); name each one that does not.

    Returns a ``Certification``. When none of them could be certified, raises
    ``CertificationRefused`` (a stale-version refusal: 409 in the API) naming each.
    """
    access.require_certify(actor, Battle.PROJECTS)
    today = local_today(today)
    now = timezone.now()
    ids = list(dict.fromkeys(getattr(report, "pk", report) for report in reports))
    if not ids:
        return Certification()
    with transaction.atomic():
        # A report's project and dekad never change: read them unlocked to know what to lock.
        keys = {
            pk: (project_id, period)
            for pk, project_id, period in DekadReport.objects.filter(pk__in=ids).values_list(
                "pk", "project_id", "period"
            )
        }
        projects = lock_projects(project_id for project_id, _period in keys.values())
        locked = lock_reports(keys, live_of=keys.values())
        nodes = _reported_nodes(list(keys))
        result = Certification()
        changes = []
        superseded = []
        for pk in ids:
            report = locked.get(pk)
            if report is None:
                result.refused.append(Refusal(pk, *conflicts.missing(pk)))
                continue
            project = projects[report.project_id]
            report.project = project
            if report.status != ReportStatus.SUBMITTED:
                live = live_reports(locked, report.project_id, report.period)
                code, reason, instead = conflicts.not_waiting(report, live, project)
                result.refused.append(Refusal(pk, code, reason, report, instead))
                continue
            changes += _certify(
                report, project, locked, nodes.get(pk, {}), actor, today, now, superseded
            )
            result.certified.append(report)
        if not result.certified:
            raise CertificationRefused(result.refused)
        # The batch's statuses in two statements, however many reports: first the
        # certified reports their corrections replace, then the corrections and reports
        # certified (a dekad never holds two certified reports, not even mid-statement).
        DekadReport.objects.filter(pk__in=superseded).update(status=ReportStatus.SUPERSEDED)
        DekadReport.objects.filter(pk__in=[r.pk for r in result.certified]).update(
            status=ReportStatus.CERTIFIED, reviewed_by=user_of(actor), reviewed_at=now
        )
        record_changes(changes, actor=actor)
        recompute_lights({project.campaign_id for project in projects.values()})
    return result


def _reported_nodes(report_ids):
    """The key nodes each report says were reached: {report id: {node id: date}}."""
    reached = {}
    rows = ReportedNode.objects.filter(report_id__in=report_ids).values_list(
        "report_id", "node_id", "actual_date"
    )
    for report_id, node_id, day in rows:
        reached.setdefault(report_id, {})[node_id] = day
    return reached


def _review(report, status, actor, now, *, save=True, **extra):
    """Set a locked report's review; return its change with the true before and after.

    With ``save=False`` the caller writes the review (a batch writes all of its own in
    one statement).
    """
    fields = [*REVIEW_FIELDS, *extra]
    before = snapshot(report, fields)
    report.status = status
    report.reviewed_by = user_of(actor)
    report.reviewed_at = now
    for name, value in extra.items():
        setattr(report, name, value)
    if save:
        report.save(update_fields=fields)
    return Change(report, ChangeAction.UPDATE, before, snapshot(report, fields))


def _certify(report, project, locked, reached, actor, today, now, superseded):
    """Certify one locked report of a locked project; return the changes to log.

    The report's status and that of the certified report it replaces change here in
    memory (later reports of the batch read them there); the caller writes them, the
    replaced ones' ids gathered in ``superseded``.
    """
    changes = []
    previous = live_reports(locked, report.project_id, report.period).get(ReportStatus.CERTIFIED)
    if previous is not None:
        before = snapshot(previous, ["status"])
        previous.status = ReportStatus.SUPERSEDED
        superseded.append(previous.pk)
        changes.append(
            Change(previous, ChangeAction.UPDATE, before, snapshot(previous, ["status"]))
        )
    changes.append(_review(report, ReportStatus.CERTIFIED, actor, now, save=False))
    if reached:
        milestones = (
            Milestone.objects.select_for_update()
            .filter(project=project, node_id__in=list(reached))
            .order_by("pk")
        )
        for milestone in milestones:
            if (milestone.state, milestone.actual_date) == (
                MilestoneState.DONE,
                reached[milestone.node_id],
            ):
                continue
            before = snapshot(milestone)
            milestone.actual_date = reached[milestone.node_id]
            milestone.state = MilestoneState.DONE
            milestone.save(update_fields=["actual_date", "state"])
            changes.append(Change(milestone, ChangeAction.UPDATE, before, snapshot(milestone)))
    if report.stage_reached and STAGE_ORDER[report.stage_reached] > STAGE_ORDER[project.stage]:
        changes += move_stage(
            project,
            Stage(report.stage_reached),
            report.stage_date,
            reason="",
            report=report,
            actor=actor,
            certified_on=today,
        )
    return changes


def do_return_report(report, *, actor, reason):
    """Return a submitted report to its unit with a reason; the unit corrects and resubmits.

    A report that no longer waits (revised, certified or returned meanwhile) is refused
    with who did what and when (a stale-version refusal: 409 in the API).
    """
    access.require_certify(actor, Battle.PROJECTS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is returned.")})
    with transaction.atomic():
        project_id, period = DekadReport.objects.values_list("project_id", "period").get(
            pk=report.pk
        )
        project = lock_projects([project_id])[project_id]
        locked = lock_reports([report.pk], live_of=[(project_id, period)])
        current = locked[report.pk]
        current.project = project
        if current.status != ReportStatus.SUBMITTED:
            live = live_reports(locked, project_id, period)
            raise ValidationError(conflicts.not_waiting(current, live, project)[1], code=STALE)
        change = _review(
            current, ReportStatus.RETURNED, actor, timezone.now(), return_reason=reason
        )
        change.reason = reason
        record_changes([change], actor=actor)
        _tell_returned(current, project, reason)
    return current


def _tell_returned(report, project, reason):
    """The lead unit's reporters (and whoever filed it) hear at once that it came back."""
    notify_unit(
        project.lead_unit_id,
        also=[report.submitted_by_id],
        kind=NoticeKind.REPORT_RETURNED,
        subject=_("Dekad report returned: {code} {name} ({period})").format(
            code=project.code, name=project.name, period=report.period
        ),
        body=reason,
        url=reverse("projects:report_detail", args=[report.pk]),
        key="returned:dekad:{}:{}".format(report.pk, report.reviewed_at.isoformat()),
        campaign=project.campaign_id,
        at_once=True,
    )
