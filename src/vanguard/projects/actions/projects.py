"""Creating and changing one project, and moving its stage by hand."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.core.preconditions import STALE
from vanguard.org import access
from vanguard.org.models import Unit
from vanguard.projects.actions.common import (
    EDITABLE_FIELDS,
    check_amount,
    check_location,
    project_snapshot,
    recompute_lights,
)
from vanguard.projects.choices import STAGE_ORDER, Stage, size_class_for
from vanguard.projects.models import KeyNode, Milestone, Project, StageChange

# Fields of Project that hold each stage's actual and certification dates.
STAGE_DATE_FIELDS = {
    Stage.INTRODUCED: ("introduced_on", "introduced_certified_on"),
    Stage.STARTED: ("started_on", "started_certified_on"),
    Stage.COMPLETED: ("completed_on", "completed_certified_on"),
}


def do_create_project(
    *,
    campaign,
    code,
    name,
    lead_unit,
    investment_yuan,
    actor,
    supporting_units=(),
    node_plans=None,
    **fields,
):
    """Create a project with one milestone per key node of its campaign (planned dates optional)."""
    access.require_manage_projects(actor)
    check_amount(investment_yuan, "investment_yuan")
    unknown = set(fields) - EDITABLE_FIELDS - {"stage"}
    if unknown:
        raise TypeError("unknown project fields: {}".format(", ".join(sorted(unknown))))
    with transaction.atomic():
        project = Project(
            campaign=campaign,
            code=code,
            name=name,
            lead_unit=lead_unit,
            investment_yuan=investment_yuan,
            size_class=size_class_for(investment_yuan),
            **fields,
        )
        project.full_clean()
        check_location(project)
        project.save()
        if supporting_units:
            project.supporting_units.set(supporting_units)
        plans = node_plans or {}
        nodes = list(KeyNode.objects.filter(campaign=campaign).order_by("order"))
        unknown_nodes = set(plans) - {n.code for n in nodes}
        if unknown_nodes:
            raise ValidationError(
                _("Unknown key node(s): {codes}.").format(codes=", ".join(sorted(unknown_nodes)))
            )
        milestones = Milestone.objects.bulk_create(
            [Milestone(project=project, node=n, planned_date=plans.get(n.code)) for n in nodes]
        )
        record_changes(
            [Change(project, ChangeAction.CREATE, after=project_snapshot(project))]
            + [Change(m, ChangeAction.CREATE, after=snapshot(m)) for m in milestones],
            actor=actor,
        )
        recompute_lights([project.campaign_id])
    return project


def do_update_project(
    project, *, actor, expected_version=None, reason="", supporting_units=None, **changes
):
    """Change a project's fields; a stale ``expected_version`` is refused, not overwritten.

    ``supporting_units`` (units or their ids), when given, replaces the project's
    supporting units; the lead unit cannot be one of them.
    """
    access.require_manage_projects(actor)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError("not editable here: {}".format(", ".join(sorted(unknown))))
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if expected_version is not None and current.version != expected_version:
            raise ValidationError(
                _(
                    "Project {code} was changed by someone else while you edited it; "
                    "reload it and apply your change again."
                ).format(code=current.code),
                code=STALE,
            )
        before = project_snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value)
        if "investment_yuan" in changes:
            check_amount(current.investment_yuan, "investment_yuan")
            current.size_class = size_class_for(current.investment_yuan)
        current.full_clean()
        if "longitude" in changes or "latitude" in changes:
            check_location(current)
        after = project_snapshot(current)
        if supporting_units is not None:
            before["supporting_units"] = sorted(
                current.supporting_units.values_list("pk", flat=True)
            )
            after["supporting_units"] = _check_supporting_units(current, supporting_units)
        if after == before:
            return current
        current.version += 1
        fields = [*changes, "size_class", "version", "updated_at"]
        current.save(update_fields=sorted(set(fields)))
        if supporting_units is not None and after["supporting_units"] != before["supporting_units"]:
            current.supporting_units.set(after["supporting_units"])
        logged = project_snapshot(current)
        if supporting_units is not None:
            logged["supporting_units"] = after["supporting_units"]
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, logged, reason)],
            actor=actor,
        )
        # Planned dates and the lead unit are judged facts.
        recompute_lights([current.campaign_id])
    return current


def _check_supporting_units(project, units):
    """The sorted ids of ``units`` as supporting units of ``project``; refuse the lead unit."""
    ids = sorted({getattr(unit, "pk", unit) for unit in units})
    found = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {"supporting_units": _("Unknown unit(s): {units}.").format(units=", ".join(missing))}
        )
    if project.lead_unit_id in found:
        raise ValidationError(
            {
                "supporting_units": _(
                    "{unit} leads project {code}; it cannot also be one of its supporting units."
                ).format(unit=found[project.lead_unit_id], code=project.code)
            }
        )
    return ids


def move_stage(project, stage, on, *, reason, report, actor, certified_on):
    """Move ``project`` to ``stage`` (filling skipped stages' dates); return log changes."""
    before = project_snapshot(project)
    old = project.stage
    forward = STAGE_ORDER[stage] > STAGE_ORDER[old]
    if forward:
        for s in Stage.values[STAGE_ORDER[old] + 1 : STAGE_ORDER[stage] + 1]:
            on_field, certified_field = STAGE_DATE_FIELDS[s]
            if getattr(project, on_field) is None:
                setattr(project, on_field, on)
                setattr(project, certified_field, certified_on)
    else:
        # Going back clears the dates of the stages left, so they stop counting.
        for s in Stage.values[STAGE_ORDER[stage] + 1 : STAGE_ORDER[old] + 1]:
            on_field, certified_field = STAGE_DATE_FIELDS[s]
            setattr(project, on_field, None)
            setattr(project, certified_field, None)
    project.stage = stage
    project.version += 1
    project.save()
    StageChange.objects.create(
        project=project,
        from_stage=old,
        to_stage=stage,
        on=on,
        reason=reason,
        report=report,
        actor=actor,
    )
    return [Change(project, ChangeAction.UPDATE, before, project_snapshot(project), reason)]


def do_set_stage(project, stage, *, on, actor, reason=""):
    """Move a project's stage by hand (office or task force); going back needs a reason."""
    access.require_manage_projects(actor)
    stage = Stage(stage)
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if stage == current.stage:
            return current
        if STAGE_ORDER[stage] < STAGE_ORDER[current.stage] and not reason.strip():
            raise ValidationError(
                {"reason": _("Moving a project back to an earlier stage needs a reason.")}
            )
        changes = move_stage(
            current, stage, on, reason=reason, report=None, actor=actor, certified_on=on
        )
        record_changes(changes, actor=actor)
        recompute_lights([current.campaign_id])
    return current
