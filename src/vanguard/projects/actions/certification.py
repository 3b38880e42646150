"""Certifying (认定) and returning dekad reports: only certified facts change a project's
stage, dates and milestones.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.core.actors import user_of
from vanguard.org import access
from vanguard.org.choices import Battle
from vanguard.projects.actions.common import local_today, recompute_lights
from vanguard.projects.actions.projects import move_stage
from vanguard.projects.choices import STAGE_ORDER, MilestoneState, ReportStatus, Stage
from vanguard.projects.models import DekadReport, Milestone, Project


def do_certify_reports(reports, *, actor, today=None):
    """Certify submitted reports (认定): lock them and apply their facts to the projects."""
    access.require_certify(actor, Battle.PROJECTS)
    today = local_today(today)
    now = timezone.now()
    ids = [r.pk for r in reports]
    with transaction.atomic():
        batch = list(
            DekadReport.objects.select_for_update()
            .filter(pk__in=ids)
            .select_related("project")
            .prefetch_related("nodes__node")
            .order_by("period_start", "pk")
        )
        not_waiting = [r for r in batch if r.status != ReportStatus.SUBMITTED]
        if not_waiting or len(batch) != len(set(ids)):
            raise ValidationError(
                _("Only submitted reports can be certified: {reports}.").format(
                    reports=", ".join("{} {}".format(r.project.code, r.period) for r in not_waiting)
                    or _("some reports no longer exist")
                )
            )
        changes = []
        for report in batch:
            changes += _certify(report, actor, today, now)
        record_changes(changes, actor=actor)
    _after_certification(batch)
    return batch


def _certify(report, actor, today, now):
    changes = []
    previous = DekadReport.objects.filter(
        project_id=report.project_id, period=report.period, status=ReportStatus.CERTIFIED
    ).first()
    if previous is not None:
        previous.status = ReportStatus.SUPERSEDED
        previous.save(update_fields=["status"])
        changes.append(
            Change(previous, ChangeAction.UPDATE, {"status": "certified"}, {"status": "superseded"})
        )
    report.status = ReportStatus.CERTIFIED
    report.reviewed_by = user_of(actor)
    report.reviewed_at = now
    report.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    changes.append(
        Change(report, ChangeAction.UPDATE, {"status": "submitted"}, {"status": "certified"})
    )
    project = Project.objects.select_for_update().get(pk=report.project_id)
    reached = {n.node_id: n.actual_date for n in report.nodes.all()}
    if reached:
        for milestone in Milestone.objects.filter(project=project, node_id__in=reached):
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


def _after_certification(reports):
    """Recompute the status lights of the reports' campaigns once the certification commits."""
    recompute_lights({report.project.campaign_id for report in reports})


def do_return_report(report, *, actor, reason):
    """Return a submitted report to its unit with a reason; the unit corrects and resubmits."""
    access.require_certify(actor, Battle.PROJECTS)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the report is returned.")})
    with transaction.atomic():
        current = DekadReport.objects.select_for_update().get(pk=report.pk)
        if current.status != ReportStatus.SUBMITTED:
            raise ValidationError(
                _("Only a submitted report can be returned; this one is {status}.").format(
                    status=current.get_status_display()
                )
            )
        before = snapshot(current)
        current.status = ReportStatus.RETURNED
        current.return_reason = reason.strip()
        current.reviewed_by = user_of(actor)
        current.reviewed_at = timezone.now()
        current.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current), reason.strip())],
            actor=actor,
        )
    return current
