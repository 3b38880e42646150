"""Writes of urban renewal: kinds, projects, weekly reports and their verification."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.citywork.actions.common import (
    apply_changes,
    check_version,
    field_errors,
    file_report,
    locked_report,
    mark_verified,
    owner_errors,
    plain_snapshot,
    recompute,
    return_report,
    save_new_version,
    set_active,
    week_to_report,
)
from vanguard.citywork.choices import RenewalStage, ReportState
from vanguard.citywork.locations import AREA, POINT, clean_geometry
from vanguard.citywork.models import RenewalKind, RenewalProject, RenewalReport
from vanguard.org import access

PROJECT_FIELDS = (
    "name",
    "kind",
    "lead_unit",
    "responsible_person",
    "address",
    "geometry",
    "planned_start",
    "planned_completion",
)
# The fields a project's owner changes; the verified facts change only by verification.
CHANGEABLE = PROJECT_FIELDS


# --- kinds ----------------------------------------------------------------------------------


def do_add_renewal_kind(*, name, actor, code=""):
    """Add a kind of renewal project (the office or the city-work task force)."""
    access.require_manage_weekly_work(actor)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the kind a name.")})
    code = slugify(code or "") or "kind-{}".format(RenewalKind.objects.count() + 1)
    with transaction.atomic():
        if RenewalKind.objects.filter(name=name).exists():
            raise ValidationError({"name": _("The kind “{name}” exists.").format(name=name)})
        while RenewalKind.objects.filter(code=code).exists():
            code += "-1"
        last = RenewalKind.objects.order_by("-sort_order").values_list("sort_order", flat=True)
        kind = RenewalKind.objects.create(code=code, name=name, sort_order=(last.first() or 0) + 10)
        record_changes([Change(kind, ChangeAction.CREATE, after=snapshot(kind))], actor=actor)
    return kind


def do_set_renewal_kind_active(kind, *, active, actor):
    """Take a kind out of use (no new projects) or back into use."""
    access.require_manage_weekly_work(actor)
    return set_active(RenewalKind, kind, active=active, actor=actor)


# --- projects -------------------------------------------------------------------------------


def check_project(fields, *, new_kind=False):
    """Refuse what cannot be true of a renewal project, naming the field; clean its location."""
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = _("Give the project's name.")
    kind = fields.get("kind")
    if kind is None:
        errors["kind"] = _("Choose the kind of renewal project.")
    elif new_kind and not kind.active:
        errors["kind"] = _("The kind “{kind}” is no longer in use.").format(kind=kind.name)
    owner_errors(fields, errors)
    start, end = fields.get("planned_start"), fields.get("planned_completion")
    if start is None:
        errors["planned_start"] = _("Give the planned start.")
    if end is None:
        errors["planned_completion"] = _("Give the planned completion.")
    elif start is not None and end < start:
        errors["planned_completion"] = _(
            "The planned completion ({end}) is before the planned start ({start})."
        ).format(end=end, start=start)
    if fields.get("geometry") is None:
        errors["geometry"] = _("Give the location: a point or a polygon.")
    else:
        try:
            fields["geometry"] = clean_geometry(fields["geometry"], POINT + AREA)
        except ValidationError as exc:
            errors["geometry"] = exc.messages
    fields["address"] = " ".join((fields.get("address") or "").split())
    field_errors(errors)
    return fields


def do_create_renewal_project(campaign, *, code, actor, reason="", **fields):
    """Add a renewal project (the office or the city-work task force)."""
    access.require_manage_weekly_work(actor)
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("Give the project a code.")})
    fields = check_project({name: fields.get(name) for name in PROJECT_FIELDS}, new_kind=True)
    geometry = fields.pop("geometry")
    with transaction.atomic():
        if RenewalProject.objects.filter(campaign=campaign, code=code).exists():
            raise ValidationError({"code": _("Project code “{code}” is taken.").format(code=code)})
        project = RenewalProject(campaign=campaign, code=code, **fields)
        project.place_at(geometry)
        project.save()
        record_changes(
            [Change(project, ChangeAction.CREATE, after=plain_snapshot(project), reason=reason)],
            actor=actor,
        )
        recompute([campaign.pk])
    return project


def do_update_renewal_project(project, *, actor, version=None, reason="", **changes):
    """Change a project's plan, owner or location; refused on an outdated version."""
    access.require_manage_weekly_work(actor)
    with transaction.atomic():
        current = RenewalProject.objects.select_for_update().get(pk=project.pk)
        check_version(current, version, _("Project {code}").format(code=current.code))
        fields = {name: getattr(current, name) for name in CHANGEABLE}
        fields.update({k: v for k, v in changes.items() if k in CHANGEABLE})
        check_project(fields, new_kind=fields["kind"] != current.kind)
        changed = [name for name in CHANGEABLE if fields[name] != getattr(current, name)]
        if not changed:
            return current
        before = plain_snapshot(current)
        update = apply_changes(current, fields, changed)
        save_new_version(current, before, update, actor=actor, reason=reason)
    return current


# --- weekly reports --------------------------------------------------------------------------


def _check_report(project, period, percent, started_on, completed_on, today):
    errors = {}
    if percent is None or not 0 <= int(percent) <= 100:
        errors["progress_percent"] = _("Give the progress as a percentage from 0 to 100.")
    last_day = min(period.end, today)
    start = project.actual_start or started_on
    if started_on is not None:
        if project.actual_start is not None and started_on != project.actual_start:
            errors["started_on"] = _(
                "The project's start is verified as {day}; it cannot be reported again."
            ).format(day=project.actual_start)
        elif started_on > last_day:
            errors["started_on"] = _("A start reported for {week} is on or before {day}.").format(
                week=period.display_label, day=last_day
            )
    if completed_on is not None:
        if start is None:
            errors["completed_on"] = _("A project completes after it starts: give its start.")
        elif completed_on < start:
            errors["completed_on"] = _(
                "The completion ({end}) is before the start ({start})."
            ).format(end=completed_on, start=start)
        elif completed_on > last_day:
            errors["completed_on"] = _(
                "A completion reported for {week} is on or before {day}."
            ).format(week=period.display_label, day=last_day)
        elif percent is not None and int(percent) != 100:
            errors["progress_percent"] = _("A completed project is at 100%.")
    field_errors(errors)


def do_report_renewal(
    project,
    *,
    period,
    actor,
    progress_percent,
    started_on=None,
    completed_on=None,
    note="",
    version=None,
    today=None,
):
    """File the lead unit's weekly report on a project (or correct it before verification).

    Progress is cumulative (形象进度, 0–100 %); the start and the completion are given in
    the week they happen. A report counts once the task force verifies it.
    """
    access.require_report_weekly(actor, project)
    today = today or timezone.localdate()
    period = week_to_report(period, today)
    _check_report(project, period, progress_percent, started_on, completed_on, today)
    values = {
        "progress_percent": int(progress_percent),
        "started_on": started_on,
        "completed_on": completed_on,
        "note": (note or "").strip(),
    }
    with transaction.atomic():
        return file_report(
            RenewalReport, "project", project, period, values, actor=actor, version=version
        )


def do_verify_renewal_report(report, *, actor, version=None):
    """Verify (核验) a weekly report: its progress, start and completion count from now on.

    Two verifiers at once: the report is locked, the first verifies it, the second is
    told who did. The project's verified progress is that of its latest verified week.
    """
    with transaction.atomic():
        current, _project = locked_report(RenewalReport, "project", report, actor, version)
        changes = [mark_verified(current, actor)]
        project = RenewalProject.objects.select_for_update().get(pk=current.project_id)
        before = plain_snapshot(project)
        latest = (
            RenewalReport.objects.filter(project=project, state=ReportState.VERIFIED)
            .order_by("-period_start")
            .values_list("period", "progress_percent")
            .first()
        )
        project.verified_period, project.progress_percent = latest
        if project.actual_start is None and current.started_on is not None:
            project.actual_start = current.started_on
        if project.actual_completion is None and current.completed_on is not None:
            project.actual_completion = current.completed_on
        if project.actual_completion is not None:
            project.stage = RenewalStage.COMPLETED
        elif project.actual_start is not None:
            project.stage = RenewalStage.STARTED
        after = plain_snapshot(project)
        if after != before:
            project.save(
                update_fields=[
                    "verified_period",
                    "progress_percent",
                    "actual_start",
                    "actual_completion",
                    "stage",
                    "updated_at",
                ]
            )
            changes.append(Change(project, ChangeAction.UPDATE, before, plain_snapshot(project)))
        record_changes(changes, actor=actor)
        recompute([project.campaign_id])
    return current


def do_return_renewal_report(report, *, actor, reason, version=None):
    """Return a weekly report to the lead unit with a reason."""
    return return_report(
        RenewalReport, "project", report, actor=actor, reason=reason, version=version
    )
