"""The projects' part of a referred case's file: every dekad report behind the matter
and its certification (who certified or returned it, when, why).

The matter is a project, one of its key nodes, or a unit (then every report the unit
filed in the campaign). Registered with supervision's case file in ``ready()``.
"""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.projects.choices import ReportStatus
from vanguard.projects.lights import SubjectKind
from vanguard.projects.models import DekadReport, Milestone
from vanguard.supervision.talks.casefile import CasePart


def _reports(referral):
    reports = DekadReport.objects.filter(project__campaign_id=referral.campaign_id)
    if referral.kind == SubjectKind.PROJECT:
        return reports.filter(project_id=referral.object_id)
    if referral.kind == SubjectKind.MILESTONE:
        project = Milestone.objects.filter(pk=referral.object_id).values("project_id")
        return reports.filter(project_id__in=project)
    if referral.kind == SubjectKind.UNIT:
        return reports.filter(unit_id=referral.object_id)
    return None


def reports_part(referral):
    """The reports and certifications behind the matter, oldest dekad first."""
    reports = _reports(referral)
    if reports is None:
        return None
    rows = list(
        reports.order_by("period_start", "project__code", "pk").values(
            "pk",
            "period",
            "status",
            "progress",
            "investment_yuan",
            "submitted_at",
            "late",
            "reviewed_at",
            "return_reason",
            project_code=F("project__code"),
            project_name=F("project__name"),
            reviewer=F("reviewed_by__username"),
        )
    )
    statuses = dict(ReportStatus.choices)
    for row in rows:
        # The file is read by people outside the office: words, not codes.
        row["status"] = str(statuses.get(row["status"], row["status"]))
        row["late"] = str(_("yes") if row["late"] else _("no"))
        for key in ("submitted_at", "reviewed_at"):
            if row[key] is not None:
                row[key] = timezone.localtime(row[key]).strftime("%Y-%m-%d %H:%M")
    return CasePart(
        title=_("Reports and certifications"),
        columns=[
            ("project_code", _("project")),
            ("period", _("dekad")),
            ("status", _("status")),
            ("progress", _("progress")),
            ("submitted_at", _("submitted at")),
            ("late", _("late")),
            ("reviewer", _("reviewed by")),
            ("reviewed_at", _("reviewed at")),
            ("return_reason", _("reason for return")),
        ],
        rows=rows,
        logged=[(DekadReport, [row["pk"] for row in rows])],
    )
