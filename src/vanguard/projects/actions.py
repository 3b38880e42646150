"""Every write to major projects: one transaction each, access checked, change logged.

Reporters of a project's lead unit file dekad reports; the projects task force
certifies or returns them; only certified facts change a project's stage, dates and
milestones.
"""

import datetime
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.blockers.actions import do_raise_blockers
from vanguard.calendar.periods import FIRST_YEAR, PeriodKind, parse_label, period_containing
from vanguard.calendar.services import load_calendar
from vanguard.core.actors import user_of
from vanguard.core.bulk import insert_objects, insert_rows, update_rows
from vanguard.core.money import format_yuan
from vanguard.core.preconditions import STALE
from vanguard.exchange.files import check_upload, extension_of
from vanguard.org import access
from vanguard.org.choices import Battle
from vanguard.org.models import Campaign, Unit
from vanguard.projects.choices import (
    STAGE_ORDER,
    MilestoneState,
    ReportStatus,
    Stage,
    size_class_for,
)
from vanguard.projects.deadlines import dekad_due
from vanguard.projects.models import (
    DekadReport,
    EvidenceFile,
    KeyNode,
    Milestone,
    Project,
    ReportedNode,
    StageChange,
)

# Fields of Project that hold each stage's actual and certification dates.
STAGE_DATE_FIELDS = {
    Stage.INTRODUCED: ("introduced_on", "introduced_certified_on"),
    Stage.STARTED: ("started_on", "started_certified_on"),
    Stage.COMPLETED: ("completed_on", "completed_certified_on"),
}

EDITABLE_FIELDS = {
    "name",
    "lead_unit",
    "responsible_person",
    "investment_yuan",
    "sector",
    "kind",
    "address",
    "latitude",
    "longitude",
    "introduced_planned",
    "started_planned",
    "completed_planned",
}


def _today(today):
    return today or timezone.localdate()


def _check_amount(value, field):
    if value is None or value < 0:
        raise ValidationError({field: _("The amount must be zero or more.")})


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
    _check_amount(investment_yuan, "investment_yuan")
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
            [Change(project, ChangeAction.CREATE, after=_project_snapshot(project))]
            + [Change(m, ChangeAction.CREATE, after=snapshot(m)) for m in milestones],
            actor=actor,
        )
        _recompute_lights([project.campaign_id])
    return project


# do_create_projects looks rows up in slices, so an IN list stays within every
# backend's limit on parameters; its query count grows only with the slices.
BULK_SLICE = 1000
# Foreign keys of Project checked in bulk instead of one query per row and field.
BULK_FOREIGN_KEYS = ("campaign", "lead_unit", "responsible_person")
BULK_REQUIRED = {"campaign", "code", "name", "lead_unit", "investment_yuan"}
BULK_OPTIONAL = {"stage", "supporting_units", "node_plans"}
# Left out of a project's log entry, as _project_snapshot leaves them out.
UNLOGGED_FIELDS = {"created_at", "updated_at"}


class RowsRefused(ValidationError):
    """Refusal of a bulk action: ``by_row`` maps each refused row's index to its error."""

    def __init__(self, by_row, labels=None):
        self.by_row = dict(by_row)
        super().__init__(
            [
                "{}: {}".format(labels[index] if labels else "#{}".format(index + 1), message)
                for index, error in sorted(self.by_row.items())
                for message in error.messages
            ]
        )


def _slices(items, size=BULK_SLICE):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def do_create_projects(rows, *, actor):
    """Create many projects at once, each as ``do_create_project`` would; return them.

    ``rows`` are dicts of ``do_create_project``'s keyword arguments (without ``actor``):
    campaign, code, name, lead_unit, investment_yuan, and optionally supporting_units,
    node_plans and editable fields. Every row is checked before anything is written; if
    any is refused, ``RowsRefused`` names each refused row and nothing is saved. Each
    project gets one milestone per key node of its campaign and one change-log entry
    holding its fields, supporting units and node plans. One transaction; the number of
    queries depends on how many thousand rows there are, not on what they hold.
    """
    access.require_manage_projects(actor)
    rows = [dict(row) for row in rows]
    if not rows:
        return []
    # The checks run inside the transaction too: on SQLite it holds the write lock,
    # so no code can be taken between checking and inserting.
    with transaction.atomic():
        return _create_projects(rows, actor)


def _create_projects(rows, actor):
    """Check every row, then write them all (``do_create_projects`` holds the transaction)."""
    projects, supporting, plans, errors = [], [], [], {}
    for index, row in enumerate(rows):
        missing = BULK_REQUIRED - set(row)
        unknown = set(row) - BULK_REQUIRED - BULK_OPTIONAL - EDITABLE_FIELDS
        if missing or unknown:
            raise TypeError(
                "project row {}: missing {}, unknown {}".format(
                    index, sorted(missing) or "-", sorted(unknown) or "-"
                )
            )
        supporting.append(row.pop("supporting_units", None) or ())
        plans.append(dict(row.pop("node_plans", None) or {}))
        project = Project(**row)
        projects.append(project)
        try:
            _check_amount(project.investment_yuan, "investment_yuan")
            project.size_class = size_class_for(project.investment_yuan)
            # Uniqueness, foreign keys and the nodes are checked below for all rows at
            # once; checked here, each would cost a query per row.
            project.full_clean(
                exclude=BULK_FOREIGN_KEYS, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors[index] = exc
    _check_bulk_codes(projects, errors)
    _check_bulk_foreign_keys(projects, errors)
    nodes = _check_bulk_node_plans(projects, plans, errors)
    if errors:
        raise RowsRefused(errors, [p.code or "#{}".format(i + 1) for i, p in enumerate(projects)])
    insert_objects(projects)
    insert_rows(
        Milestone,
        ("project_id", "node_id", "planned_date"),
        (
            (project.pk, node.pk, plan.get(node.code))
            for project, plan in zip(projects, plans, strict=True)
            for node in nodes[project.campaign_id]
        ),
    )
    links = Project.supporting_units.through
    insert_rows(
        links,
        ("project_id", "unit_id"),
        (
            (project.pk, unit_id)
            for project, units in zip(projects, supporting, strict=True)
            for unit_id in dict.fromkeys(getattr(u, "pk", u) for u in units)
        ),
    )
    changes = []
    # Field values as they are: record_changes turns them into JSON once (the
    # same entry _project_snapshot would give, without converting twice).
    logged = [f for f in Project._meta.concrete_fields if f.name not in UNLOGGED_FIELDS]
    for project, units, plan in zip(projects, supporting, plans, strict=True):
        after = {f.name: getattr(project, f.attname) for f in logged}
        after["supporting_units"] = list(dict.fromkeys(getattr(u, "pk", u) for u in units))
        after["node_plans"] = {code: day for code, day in plan.items() if day is not None}
        changes.append(Change(project, ChangeAction.CREATE, after=after))
    record_changes(changes, actor=actor)
    _recompute_lights({project.campaign_id for project in projects})
    return projects


def _check_bulk_codes(projects, errors):
    """Refuse codes that repeat within the rows or already exist."""

    def taken(index):
        error = projects[index].unique_error_message(Project, ["code"])
        errors[index] = _merged(errors.get(index), ValidationError({"code": error}))

    seen = {}
    for index, project in enumerate(projects):
        if project.code in seen:
            taken(index)
        seen.setdefault(project.code, index)
    for codes in _slices(seen):
        for code in Project.objects.filter(code__in=codes).values_list("code", flat=True):
            taken(seen[code])


def _check_bulk_foreign_keys(projects, errors):
    """Refuse rows whose campaign, lead unit or responsible person is missing or gone."""
    for name in BULK_FOREIGN_KEYS:
        field = Project._meta.get_field(name)
        wanted = {getattr(p, field.attname) for p in projects} - {None}
        found = set()
        for ids in _slices(wanted):
            found.update(
                field.related_model._base_manager.filter(pk__in=ids).values_list("pk", flat=True)
            )
        for index, project in enumerate(projects):
            value = getattr(project, field.attname)
            if value is None and not field.null:
                message = ValidationError({name: field.error_messages["null"]})
            elif value is not None and value not in found:
                message = ValidationError(
                    {
                        name: ValidationError(
                            field.error_messages["invalid"],
                            code="invalid",
                            params={
                                "model": field.related_model._meta.verbose_name,
                                "pk": value,
                                "field": field.remote_field.field_name,
                                "value": value,
                            },
                        )
                    }
                )
            else:
                continue
            errors[index] = _merged(errors.get(index), message)


def _check_bulk_node_plans(projects, plans, errors):
    """The key nodes of every campaign named; refuse plans for nodes a campaign lacks."""
    campaigns = {p.campaign_id for p in projects} - {None}
    nodes = {campaign_id: [] for campaign_id in campaigns}
    for node in KeyNode.objects.filter(campaign_id__in=campaigns).order_by("order"):
        nodes[node.campaign_id].append(node)
    for index, (project, plan) in enumerate(zip(projects, plans, strict=True)):
        known = {n.code for n in nodes.get(project.campaign_id, ())}
        unknown_nodes = set(plan) - known
        if unknown_nodes:
            message = ValidationError(
                _("Unknown key node(s): {codes}.").format(codes=", ".join(sorted(unknown_nodes)))
            )
            errors[index] = _merged(errors.get(index), message)
    return nodes


def _merged(first, second):
    """Two ValidationErrors of one row as one, keeping field names where there are some."""
    if first is None:
        return second
    if hasattr(first, "error_dict") and hasattr(second, "error_dict"):
        names = dict.fromkeys([*first.error_dict, *second.error_dict])
        return ValidationError(
            {
                name: [*first.error_dict.get(name, []), *second.error_dict.get(name, [])]
                for name in names
            }
        )
    return ValidationError([*first.messages, *second.messages])


def _project_snapshot(project):
    data = snapshot(project)
    data.pop("updated_at", None)
    data.pop("created_at", None)
    return data


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
        before = _project_snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value)
        if "investment_yuan" in changes:
            _check_amount(current.investment_yuan, "investment_yuan")
            current.size_class = size_class_for(current.investment_yuan)
        current.full_clean()
        after = _project_snapshot(current)
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
        logged = _project_snapshot(current)
        if supporting_units is not None:
            logged["supporting_units"] = after["supporting_units"]
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, logged, reason)],
            actor=actor,
        )
        # Planned dates and the lead unit are judged facts.
        _recompute_lights([current.campaign_id])
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


def do_update_projects(rows, *, actor, reason=""):
    """Change many projects at once, each as ``do_update_project`` and ``do_set_milestone_plan``.

    ``rows`` are dicts: ``project`` (a project or its id), ``expected_version`` (or
    None), ``changes`` (editable fields), optionally ``supporting_units`` (replacing
    them) and ``node_plans`` (``{node_code: date}``). The projects are locked and
    every row is checked before anything is written; a project changed by someone
    else since ``expected_version`` is refused, and if any row is refused,
    ``RowsRefused`` names each one and nothing is saved. Each changed project gets one
    change-log entry (as ``do_update_project`` writes it) and each changed key-node
    plan one entry of its milestone. One transaction; the number of queries depends
    on how many thousand rows there are, not on what they hold. Returns the projects.
    """
    access.require_manage_projects(actor)
    rows = [dict(row) for row in rows]
    for index, row in enumerate(rows):
        unknown = set(row.get("changes") or {}) - EDITABLE_FIELDS
        if unknown:
            raise TypeError(
                "project row {}: not editable here: {}".format(index, ", ".join(sorted(unknown)))
            )
    if not rows:
        return []
    with transaction.atomic():
        return _update_projects(rows, actor, reason)


def _update_projects(rows, actor, reason):
    """Check every row, then write them all (``do_update_projects`` holds the transaction)."""
    ids = [getattr(row["project"], "pk", row["project"]) for row in rows]
    current = {}
    for chunk in _slices(ids):
        current.update((p.pk, p) for p in Project.objects.select_for_update().filter(pk__in=chunk))
    logged = [f for f in Project._meta.concrete_fields if f.name not in UNLOGGED_FIELDS]
    field_names = [f.name for f in Project._meta.concrete_fields]
    errors, found, befores = {}, [], []
    for index, (pk, row) in enumerate(zip(ids, rows, strict=True)):
        project = current.get(pk)
        if project is None:
            errors[index] = ValidationError(_("The project no longer exists."))
            continue
        expected = row.get("expected_version")
        if expected is not None and project.version != expected:
            errors[index] = ValidationError(
                _(
                    "Project {code} was changed by someone else while you edited it; "
                    "reload it and apply your change again."
                ).format(code=project.code)
            )
            continue
        befores.append({f.name: getattr(project, f.attname) for f in logged})
        changes = row.get("changes") or {}
        for name, value in changes.items():
            setattr(project, name, value)
        try:
            if "investment_yuan" in changes:
                _check_amount(project.investment_yuan, "investment_yuan")
                project.size_class = size_class_for(project.investment_yuan)
            # Only the changed fields: the others were valid when stored. Foreign keys
            # are checked below for all rows at once.
            project.full_clean(
                exclude=[*BULK_FOREIGN_KEYS, *(n for n in field_names if n not in changes)],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            errors[index] = exc
        found.append((index, project))
    checked = {}
    _check_bulk_foreign_keys([p for _i, p in found], checked)
    for position, error in checked.items():
        index = found[position][0]
        errors[index] = _merged(errors.get(index), error)
    supporting = _bulk_supporting_units(rows, current, ids, errors)
    milestones = _bulk_node_plans(rows, current, ids, errors)
    if errors:
        raise RowsRefused(
            errors,
            [
                getattr(current.get(pk), "code", None) or "#{}".format(i + 1)
                for i, pk in enumerate(ids)
            ],
        )
    return _write_project_updates(
        rows, found, befores, supporting, milestones, logged, actor, reason
    )


def _bulk_supporting_units(rows, current, ids, errors):
    """Each row's new supporting units as ``(before ids, after ids)``, by project id."""
    wanted = {
        pk: sorted({getattr(u, "pk", u) for u in row["supporting_units"]})
        for pk, row in zip(ids, rows, strict=True)
        if row.get("supporting_units") is not None and pk in current
    }
    if not wanted:
        return {}
    names = {}
    for chunk in _slices({u for units in wanted.values() for u in units}):
        names.update(Unit.objects.filter(pk__in=chunk).values_list("pk", "name"))
    before = {pk: [] for pk in wanted}
    links = Project.supporting_units.through.objects
    for chunk in _slices(wanted):
        for project_id, unit_id in links.filter(project_id__in=chunk).values_list(
            "project_id", "unit_id"
        ):
            before[project_id].append(unit_id)
    by_pk = {pk: index for index, pk in enumerate(ids)}
    for pk, units in wanted.items():
        project = current[pk]
        message = None
        missing = [str(u) for u in units if u not in names]
        if missing:
            message = _("Unknown unit(s): {units}.").format(units=", ".join(missing))
        elif project.lead_unit_id in units:
            message = _(
                "{unit} leads project {code}; it cannot also be one of its supporting units."
            ).format(unit=names[project.lead_unit_id], code=project.code)
        if message:
            index = by_pk[pk]
            errors[index] = _merged(
                errors.get(index), ValidationError({"supporting_units": message})
            )
    return {pk: (sorted(before[pk]), units) for pk, units in wanted.items()}


def _bulk_node_plans(rows, current, ids, errors):
    """The milestones whose planned date changes, as ``(milestone, new date)``, locked."""
    plans = {
        pk: row["node_plans"]
        for pk, row in zip(ids, rows, strict=True)
        if row.get("node_plans") and pk in current
    }
    if not plans:
        return []
    by_project = {pk: {} for pk in plans}
    codes = sorted({code for plan in plans.values() for code in plan})
    for chunk in _slices(plans):
        for milestone in (
            Milestone.objects.select_for_update(of=("self",))
            .select_related("node")
            .filter(project_id__in=chunk, node__code__in=codes)
        ):
            by_project[milestone.project_id][milestone.node.code] = milestone
    by_pk = {pk: index for index, pk in enumerate(ids)}
    changed = []
    for pk, plan in plans.items():
        milestones = by_project[pk]
        unknown = sorted(set(plan) - set(milestones))
        if unknown:
            index = by_pk[pk]
            errors[index] = _merged(
                errors.get(index),
                ValidationError(_("Unknown key node: {code}.").format(code=", ".join(unknown))),
            )
            continue
        changed += [
            (milestones[code], day)
            for code, day in plan.items()
            if milestones[code].planned_date != day
        ]
    return changed


def _write_project_updates(rows, found, befores, supporting, milestones, logged, actor, reason):
    """Write checked updates: fields, supporting units, node plans, and their change log."""
    now = timezone.now()
    changes, written = [], []
    by_fields = {}
    for (index, project), before in zip(found, befores, strict=True):
        pk = project.pk
        after = {f.name: getattr(project, f.attname) for f in logged}
        units = supporting.get(pk)
        if units is not None:
            before["supporting_units"], after["supporting_units"] = units
        if after == before:
            continue
        project.version += 1
        project.updated_at = now
        after["version"] = project.version
        fields = tuple(sorted({*(rows[index].get("changes") or {}), "size_class"}))
        by_fields.setdefault(fields, []).append(project)
        changes.append(Change(project, ChangeAction.UPDATE, before, after, reason))
        written.append(project)
    for fields, projects in by_fields.items():
        names = [*fields, "version", "updated_at"]
        attnames = [Project._meta.get_field(n).attname for n in names]
        update_rows(
            Project, attnames, [(p.pk, *(getattr(p, a) for a in attnames)) for p in projects]
        )
    replaced = [pk for pk, (before, after) in supporting.items() if before != after]
    links = Project.supporting_units.through
    for chunk in _slices(replaced):
        links.objects.filter(project_id__in=chunk).delete()
    insert_rows(
        links,
        ("project_id", "unit_id"),
        ((pk, unit_id) for pk in replaced for unit_id in supporting[pk][1]),
    )
    # Field values as they are, as for the projects: record_changes turns them into JSON
    # once, the same entry do_set_milestone_plan writes.
    milestone_fields = Milestone._meta.concrete_fields
    for milestone, day in milestones:
        before = {f.name: getattr(milestone, f.attname) for f in milestone_fields}
        milestone.planned_date = day
        after = {**before, "planned_date": day}
        changes.append(Change(milestone, ChangeAction.UPDATE, before, after, reason))
    update_rows(Milestone, ["planned_date"], [(m.pk, m.planned_date) for m, _day in milestones])
    record_changes(changes, actor=actor)
    return written


def do_set_milestone_plan(project, plans, *, actor, reason=""):
    """Set planned dates of key nodes (``{node_code: date}``)."""
    access.require_manage_projects(actor)
    with transaction.atomic():
        milestones = {
            m.node.code: m
            for m in Milestone.objects.select_for_update()
            .select_related("node")
            .filter(project=project)
        }
        changes = []
        for code, planned in plans.items():
            milestone = milestones.get(code)
            if milestone is None:
                raise ValidationError(_("Unknown key node: {code}.").format(code=code))
            if milestone.planned_date != planned:
                before = snapshot(milestone)
                milestone.planned_date = planned
                milestone.save(update_fields=["planned_date"])
                changes.append(
                    Change(milestone, ChangeAction.UPDATE, before, snapshot(milestone), reason)
                )
        record_changes(changes, actor=actor)
        if changes:
            _recompute_lights([project.campaign_id])


def _locked_milestone(milestone):
    return (
        Milestone.objects.select_for_update().select_related("node", "project").get(pk=milestone.pk)
    )


def do_set_milestone_not_needed(milestone, *, actor, reason):
    """Mark a project's key node not needed (无需办理), with a reason; it is no longer judged."""
    from vanguard.supervision.tasks import schedule_recompute

    access.require_manage_projects(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the key node is not needed.")})
    limit = Milestone._meta.get_field("not_needed_reason").max_length
    if len(reason) > limit:
        raise ValidationError(
            {"reason": _("Keep the reason within {n} characters.").format(n=limit)}
        )
    with transaction.atomic():
        current = _locked_milestone(milestone)
        names = {"node": current.node.name, "code": current.project.code}
        if current.state == MilestoneState.DONE:
            raise ValidationError(
                _(
                    "{node} of project {code} was done on {date}; "
                    "a done key node cannot be marked not needed."
                ).format(date=current.actual_date.isoformat(), **names)
            )
        if current.state == MilestoneState.NOT_NEEDED:
            raise ValidationError(
                _("{node} of project {code} is already marked not needed: {reason}").format(
                    reason=current.not_needed_reason, **names
                )
            )
        before = snapshot(current)
        current.state = MilestoneState.NOT_NEEDED
        current.not_needed_reason = reason
        current.save(update_fields=["state", "not_needed_reason"])
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current), reason)], actor=actor
        )
        schedule_recompute([current.project.campaign_id])
    return current


def do_clear_milestone_not_needed(milestone, *, actor, reason=""):
    """Undo “not needed”: the key node is to be done again and judged by its planned date."""
    from vanguard.supervision.tasks import schedule_recompute

    access.require_manage_projects(actor)
    with transaction.atomic():
        current = _locked_milestone(milestone)
        if current.state != MilestoneState.NOT_NEEDED:
            raise ValidationError(
                _("{node} of project {code} is not marked not needed; nothing to undo.").format(
                    node=current.node.name, code=current.project.code
                )
            )
        before = snapshot(current)
        current.state = MilestoneState.PENDING
        current.not_needed_reason = ""
        current.save(update_fields=["state", "not_needed_reason"])
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current), reason.strip())],
            actor=actor,
        )
        schedule_recompute([current.project.campaign_id])
    return current


# Evidence (证明材料) of a key node: approvals as PDF or OFD, scans and photos,
# Word and Excel files (WPS's own formats too), up to 20 MB. Each file passes
# vanguard.exchange.files: its bytes must match its name, pictures are re-encoded
# without their metadata, PDFs that run scripts are refused.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_EXTENSIONS = (
    *("pdf", "ofd"),
    *("jpg", "jpeg", "png", "webp"),
    *("doc", "docx", "wps", "xls", "xlsx", "et"),
)


def _check_evidence(upload):
    """The upload made safe to keep; refuses a file that is empty, too large or unsafe."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    if extension_of(name) not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {
                "evidence": _(
                    "“{name}” is not an accepted file: upload a PDF or OFD document, a JPG, "
                    "PNG or WebP image, or a Word or Excel file."
                ).format(name=name)
            }
        )
    if upload.size is not None and upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "evidence": _("“{name}” is {size} MB; evidence may be up to {limit} MB.").format(
                    name=name,
                    size="{:.1f}".format(upload.size / 1024 / 1024),
                    limit=EVIDENCE_MAX_BYTES // (1024 * 1024),
                )
            }
        )
    try:
        return check_upload(upload, limit=EVIDENCE_MAX_BYTES, extensions=EVIDENCE_EXTENSIONS)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from None


def do_attach_milestone_evidence(milestone, upload, *, actor, replaces=None):
    """Store a file as the evidence (证明材料) of a project's key node.

    The lead unit's reporters, the office and the projects task force may upload. A
    node has one current evidence file; ``replaces`` names the file the uploader saw
    (blank for none), and if another was uploaded meanwhile the upload is refused
    rather than silently replacing it. A replaced file is kept, with its digest, in
    the node's evidence history, and both steps are in the change log.
    """
    milestone = Milestone.objects.select_related("project__lead_unit").get(pk=milestone.pk)
    access.require_upload_evidence(actor, milestone.project)
    safe = _check_evidence(upload)
    with transaction.atomic():
        current = _locked_milestone(milestone)
        if replaces is not None and current.evidence.name != replaces:
            raise ValidationError(
                _(
                    "Someone else uploaded evidence for {node} of project {code} meanwhile "
                    "({name}); reload the page to see it before replacing it."
                ).format(
                    node=current.node.name,
                    code=current.project.code,
                    name=os.path.basename(current.evidence.name) or "—",
                )
            )
        now = timezone.now()
        before = snapshot(current)
        current.evidence.save(
            "{}-{}-{}".format(current.project.code, current.node.code, safe.name),
            ContentFile(safe.content),
            save=False,
        )
        try:
            changes = []
            for old in EvidenceFile.objects.select_for_update().filter(
                milestone=current, replaced_at__isnull=True
            ):
                old_before = snapshot(old, ["file", "replaced_at"])
                old.replaced_at = now
                old.save(update_fields=["replaced_at"])
                changes.append(
                    Change(
                        old, ChangeAction.UPDATE, old_before, snapshot(old, ["file", "replaced_at"])
                    )
                )
            kept = EvidenceFile.objects.create(
                milestone=current,
                file=current.evidence.name,
                sha256=safe.sha256,
                size=len(safe.content),
                uploaded_by=user_of(actor),
                uploaded_at=now,
            )
            current.save(update_fields=["evidence"])
            changes.append(
                Change(kept, ChangeAction.CREATE, None, snapshot(kept, ["file", "sha256", "size"]))
            )
            changes.append(Change(current, ChangeAction.UPDATE, before, snapshot(current)))
            record_changes(changes, actor=actor)
        except BaseException:
            current.evidence.storage.delete(current.evidence.name)
            raise
    return current


def _move_stage(project, stage, on, *, reason, report, actor, certified_on):
    """Move ``project`` to ``stage`` (filling skipped stages' dates); return log changes."""
    before = _project_snapshot(project)
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
    return [Change(project, ChangeAction.UPDATE, before, _project_snapshot(project), reason)]


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
        changes = _move_stage(
            current, stage, on, reason=reason, report=None, actor=actor, certified_on=on
        )
        record_changes(changes, actor=actor)
        _recompute_lights([current.campaign_id])
    return current


def _clean_report(
    project, *, period, progress, investment_yuan, stage_reached, stage_date, node_dates, today
):
    """Check a report's content; return (Period, {KeyNode: date}). Raises ValidationError."""
    errors = {}
    try:
        dekad = parse_label(period) if period else period_containing(PeriodKind.DEKAD, today)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if dekad.kind != PeriodKind.DEKAD:
        errors["period"] = _("“{label}” is not a dekad (e.g. 2026-03-D1).").format(label=period)
    elif dekad.start > today:
        errors["period"] = _("The report for {label} opens on {start}.").format(
            label=dekad.display_label, start=dekad.start.isoformat()
        )
    elif dekad.end < project.campaign.start_date:
        errors["period"] = _("{label} is before the campaign, which starts on {start}.").format(
            label=dekad.display_label, start=project.campaign.start_date.isoformat()
        )
    if not (progress or "").strip():
        errors["progress"] = _("Describe the progress made in the dekad.")
    if investment_yuan is None or investment_yuan < 0:
        errors["investment_yuan"] = _("The amount must be zero or more.")
    elif investment_yuan > MAX_AMOUNT_YUAN:
        errors["investment_yuan"] = _("{amount} is more than any project invests.").format(
            amount=format_yuan(investment_yuan)
        )
    elif project.investment_yuan and investment_yuan > project.investment_yuan:
        errors["investment_yuan"] = _(
            "{amount} in one dekad is more than the project's whole investment of {total}."
        ).format(amount=format_yuan(investment_yuan), total=format_yuan(project.investment_yuan))
    if stage_reached:
        if stage_reached not in Stage.values:
            errors["stage_reached"] = _("Unknown stage: {stage}.").format(stage=stage_reached)
        elif STAGE_ORDER[stage_reached] < STAGE_ORDER[project.stage]:
            errors["stage_reached"] = _(
                "The project is already {stage}; a report cannot move it back."
            ).format(stage=Stage(project.stage).label)
        if stage_date is None:
            errors["stage_date"] = _("Give the date the stage was reached.")
        elif stage_date > today:
            errors["stage_date"] = _("{date} is in the future.").format(date=stage_date.isoformat())
        elif stage_date.year < FIRST_YEAR:
            errors["stage_date"] = _("{date} is not a real date for this.").format(
                date=stage_date.isoformat()
            )
    nodes = {n.code: n for n in KeyNode.objects.filter(campaign_id=project.campaign_id)}
    reached = {}
    for code, day in (node_dates or {}).items():
        node = nodes.get(code)
        if node is None:
            errors.setdefault("node_dates", []).append(
                _("Unknown key node: {code}.").format(code=code)
            )
        elif day > today:
            errors.setdefault("node_dates", []).append(
                _(
                    "{node}: {date} is in the future; only nodes already reached can be reported."
                ).format(node=node.name, date=day.isoformat())
            )
        elif day.year < FIRST_YEAR:
            errors.setdefault("node_dates", []).append(
                _("{node}: {date} is not a real date for this.").format(
                    node=node.name, date=day.isoformat()
                )
            )
        else:
            reached[node] = day
    if errors:
        raise ValidationError(errors)
    return dekad, reached


def _file_report(project, *, actor, dekad, reached, supersedes, today, now, **content):
    report = DekadReport.objects.create(
        project=project,
        unit_id=project.lead_unit_id,
        period=dekad.label,
        period_start=dekad.start,
        period_end=dekad.end,
        due_date=(due := dekad_due(project.campaign, dekad)).day,
        due_provisional=due.provisional,
        status=ReportStatus.SUBMITTED,
        submitted_by=user_of(actor),
        submitted_at=now,
        late=today > due.day,
        supersedes=supersedes,
        **content,
    )
    ReportedNode.objects.bulk_create(
        [ReportedNode(report=report, node=node, actual_date=day) for node, day in reached.items()]
    )
    return report


# A yuan amount a database integer holds with room to add up a year of reports.
MAX_AMOUNT_YUAN = 10**17

# Problems met in one dekad on one project: more is a pasted list, not a report.
MAX_REPORT_PROBLEMS = 50


def _check_problem_count(blockers):
    titles = [item if isinstance(item, str) else item[0] for item in blockers]
    count = sum(1 for title in titles if title and title.strip())
    if count > MAX_REPORT_PROBLEMS:
        raise ValidationError(
            {
                "blockers": _(
                    "A report may name at most {limit} problems; this one names {count}. "
                    "Put related ones together."
                ).format(limit=MAX_REPORT_PROBLEMS, count=count)
            }
        )


# ``replaces`` not given: the caller replaces whatever report waits (no door does so now).
UNSEEN = object()


class StaleReport(ValidationError):
    """A report refused because it would replace a waiting one its author has not seen.

    ``waiting`` is the report waiting now (None: none waits), ``replaces`` the one the
    author named, so each door can say how to see and revise it in its own words.
    """

    def __init__(self, message, *, project, dekad, waiting, replaces):
        super().__init__(message, code=STALE)
        self.project, self.dekad, self.waiting, self.replaces = project, dekad, waiting, replaces


def _check_replaces(project, dekad, waiting, replaces):
    """Refuse unless ``replaces`` names the report waiting now (None: that none waits)."""
    if (waiting.pk if waiting else None) == (int(replaces) if replaces is not None else None):
        return
    raise StaleReport(
        _(
            "Another report of project {code} for {dekad} was submitted meanwhile "
            "(at {at}); reload the form to see it before replacing it."
        ).format(
            code=project.code,
            dekad=dekad.display_label,
            at=submitted_at(waiting) if waiting else "—",
        ),
        project=project,
        dekad=dekad,
        waiting=waiting,
        replaces=replaces,
    )


def submitted_at(report):
    """When a report was filed, as its readers' clock shows it (2026-03-05 10:00)."""
    return timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")


def do_submit_report(
    project,
    *,
    actor,
    period=None,
    progress,
    investment_yuan=0,
    stage_reached="",
    stage_date=None,
    node_dates=None,
    blockers=(),
    today=None,
    replaces=UNSEEN,
):
    """File the lead unit's report on a project for a dekad (default: the current one).

    A report waiting for review is replaced (and kept as superseded); a returned one is
    superseded by the resubmission; a certified dekad takes a correction instead.
    ``blockers`` are problem titles (or (title, description) pairs) that become tracked
    blockers owned by the lead unit, from the moment the report is filed (a problem the
    project already has open is linked, not raised twice). ``replaces`` is the id of the
    waiting report the caller saw (None: it saw none); every door gives it, and when
    another is waiting now the report is refused (StaleReport) rather than replacing one
    the caller has not read.
    """
    today = _today(today)
    access.require_report(actor, project)
    _check_problem_count(blockers)
    dekad, reached = _clean_report(
        project,
        period=period,
        progress=progress,
        investment_yuan=investment_yuan,
        stage_reached=stage_reached,
        stage_date=stage_date,
        node_dates=node_dates,
        today=today,
    )
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        live = {
            r.status: r
            for r in DekadReport.objects.filter(
                project=project,
                period=dekad.label,
                status__in=[ReportStatus.SUBMITTED, ReportStatus.CERTIFIED],
            )
        }
        if ReportStatus.CERTIFIED in live:
            raise ValidationError(
                _(
                    "The report of project {code} for {dekad} is already certified and locked; "
                    "file a correction instead."
                ).format(code=project.code, dekad=dekad.display_label)
            )
        waiting = live.get(ReportStatus.SUBMITTED)
        if replaces is not UNSEEN:
            _check_replaces(project, dekad, waiting, replaces)
        return _submit(
            project,
            actor,
            dekad,
            reached,
            live.get(ReportStatus.SUBMITTED),
            today,
            progress=progress.strip(),
            investment_yuan=investment_yuan,
            stage_reached=stage_reached or "",
            stage_date=stage_date,
            blockers=blockers,
        )


def _submit(project, actor, dekad, reached, waiting, today, *, blockers, **content):
    now = timezone.now()
    changes = []
    supersedes = waiting
    if waiting is not None:
        before = snapshot(waiting)
        waiting.status = ReportStatus.SUPERSEDED
        waiting.save(update_fields=["status"])
        changes.append(Change(waiting, ChangeAction.UPDATE, before, snapshot(waiting)))
    else:
        supersedes = (
            DekadReport.objects.filter(
                project=project, period=dekad.label, status=ReportStatus.RETURNED
            )
            .order_by("-submitted_at")
            .first()
        )
    report = _file_report(
        project,
        actor=actor,
        dekad=dekad,
        reached=reached,
        supersedes=supersedes,
        today=today,
        now=now,
        **content,
    )
    changes.append(Change(report, ChangeAction.CREATE, after=_report_snapshot(report)))
    record_changes(changes, actor=actor)
    _raise_blockers(project, report, blockers, actor, today)
    return report


def _report_snapshot(report):
    data = snapshot(report)
    data["nodes"] = {str(n.node_id): n.actual_date.isoformat() for n in report.nodes.all()}
    return data


def _raise_blockers(project, report, blockers, actor, today):
    """Link the report to the problems it names; raise those the project has not open yet.

    A problem repeated by a later report (a resubmission, the next dekad's report) is the
    same open blocker, not a second one; a solved problem that comes back is raised anew.
    """
    named = do_raise_blockers(
        project,
        blockers,
        unit=project.lead_unit_id,
        actor=actor,
        occasion=report,
        raised_on=today,
    )
    DekadReport.blockers.through.objects.bulk_create(
        [DekadReport.blockers.through(dekadreport=report, blocker=b) for b in named]
    )


def do_correct_report(
    report,
    *,
    actor,
    reason,
    progress,
    investment_yuan=0,
    stage_reached="",
    stage_date=None,
    node_dates=None,
    today=None,
    replaces=UNSEEN,
):
    """File a correction of a certified report: a new report that supersedes it once certified.

    ``replaces`` names the correction waiting for certification that the caller saw (None:
    it saw none), as for do_submit_report.
    """
    today = _today(today)
    report = DekadReport.objects.select_related("project").get(pk=report.pk)
    project = report.project
    access.require_report(actor, project)
    if report.status != ReportStatus.CERTIFIED:
        raise ValidationError(
            _("Only a certified report is corrected; this one can be resubmitted.")
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A correction needs a reason.")})
    dekad, reached = _clean_report(
        project,
        period=report.period,
        progress=progress,
        investment_yuan=investment_yuan,
        stage_reached=stage_reached,
        stage_date=stage_date,
        node_dates=node_dates,
        today=today,
    )
    with transaction.atomic():
        waiting = DekadReport.objects.filter(
            project=project, period=report.period, status=ReportStatus.SUBMITTED
        ).first()
        if replaces is not UNSEEN:
            _check_replaces(project, dekad, waiting, replaces)
        correction = _submit(
            project,
            actor,
            dekad,
            reached,
            waiting,
            today,
            progress=progress.strip(),
            investment_yuan=investment_yuan,
            stage_reached=stage_reached or "",
            stage_date=stage_date,
            blockers=(),
        )
        DekadReport.objects.filter(pk=correction.pk).update(supersedes=report)
        correction.supersedes = report
        # A correction changes the figures, not the problems: it names those the report did.
        DekadReport.blockers.through.objects.bulk_create(
            [
                DekadReport.blockers.through(dekadreport=correction, blocker_id=blocker_id)
                for blocker_id in report.blockers.values_list("pk", flat=True)
            ]
        )
        record_changes(
            [
                Change(
                    correction, ChangeAction.UPDATE, after={"supersedes": report.pk}, reason=reason
                )
            ],
            actor=actor,
        )
    return correction


def do_certify_reports(reports, *, actor, today=None):
    """Certify submitted reports (认定): lock them and apply their facts to the projects."""
    access.require_certify(actor, Battle.PROJECTS)
    today = _today(today)
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
        changes += _move_stage(
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
    _recompute_lights({report.project.campaign_id for report in reports})


def _recompute_lights(campaign_ids):
    """Recompute the campaigns' lights once the current transaction commits, merged in bursts."""
    from vanguard.supervision.tasks import schedule_recompute

    schedule_recompute(campaign_ids)


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


def dekad_of(day: datetime.date):
    """The dekad containing ``day``."""
    return period_containing(PeriodKind.DEKAD, day)


def do_recount_due_dates(years, *, actor):
    """Count dekad reports' due dates again after the holidays of ``years`` changed.

    Provisional dates (暂定, counted before a year's arrangement was entered) and dates
    falling in a changed year take the date the calendar gives now; whether each report
    was late follows from its submission day. One date per campaign and dekad, and only
    the reports whose values change are read and logged. Returns how many changed.
    """
    calendar = load_calendar()
    reason = _("Holiday arrangement of {years} changed").format(
        years="、".join(str(year) for year in sorted(years))
    )
    scope = Q(due_provisional=True) | Q(due_date__year__in=list(years))
    with transaction.atomic():
        groups = list(
            DekadReport.objects.filter(scope)
            .values_list("project__campaign_id", "period_start")
            .distinct()
        )
        campaigns = Campaign.objects.in_bulk({campaign_id for campaign_id, _start in groups})
        changed = []
        for campaign_id, start in groups:
            due = dekad_due(
                campaigns[campaign_id], period_containing(PeriodKind.DEKAD, start), calendar
            )
            # Late: filed after the due day ended, in local time.
            cutoff = timezone.make_aware(
                datetime.datetime.combine(due.day + datetime.timedelta(days=1), datetime.time())
            )
            filed_late = Q(submitted_at__gte=cutoff)
            stale = DekadReport.objects.filter(
                scope, project__campaign_id=campaign_id, period_start=start
            ).filter(
                ~Q(due_date=due.day)
                | ~Q(due_provisional=due.provisional)
                | (filed_late & Q(late=False))
                | (~filed_late & Q(late=True))
            )
            for report in stale.only(
                "id", "project_id", "period", "due_date", "due_provisional", "late", "submitted_at"
            ):
                before = {
                    "due_date": report.due_date,
                    "due_provisional": report.due_provisional,
                    "late": report.late,
                }
                report.due_date, report.due_provisional = due.day, due.provisional
                report.late = report.submitted_at >= cutoff
                after = {
                    "due_date": report.due_date,
                    "due_provisional": report.due_provisional,
                    "late": report.late,
                }
                changed.append(Change(report, ChangeAction.UPDATE, before, after, reason))
        DekadReport.objects.bulk_update(
            [change.obj for change in changed],
            ["due_date", "due_provisional", "late"],
            batch_size=1000,
        )
        record_changes(changed, actor=actor)
    return len(changed)
