"""Projects created and changed by the thousand (the Excel import's way): every row checked
before anything is written, a set number of queries per thousand rows.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.core.bulk import insert_objects, insert_rows, update_rows
from vanguard.org import access
from vanguard.org.models import Unit
from vanguard.projects.actions.common import EDITABLE_FIELDS, check_amount, recompute_lights
from vanguard.projects.choices import size_class_for
from vanguard.projects.models import KeyNode, Milestone, Project

# do_create_projects looks rows up in slices, so an IN list stays within every
# backend's limit on parameters; its query count grows only with the slices.
BULK_SLICE = 1000

# Foreign keys of Project checked in bulk instead of one query per row and field.
BULK_FOREIGN_KEYS = ("campaign", "lead_unit", "responsible_person")

BULK_REQUIRED = {"campaign", "code", "name", "lead_unit", "investment_yuan"}

BULK_OPTIONAL = {"stage", "supporting_units", "node_plans"}

# Left out of a project's log entry, as project_snapshot leaves them out.
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
            check_amount(project.investment_yuan, "investment_yuan")
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
    # same entry project_snapshot would give, without converting twice).
    logged = [f for f in Project._meta.concrete_fields if f.name not in UNLOGGED_FIELDS]
    for project, units, plan in zip(projects, supporting, plans, strict=True):
        after = {f.name: getattr(project, f.attname) for f in logged}
        after["supporting_units"] = list(dict.fromkeys(getattr(u, "pk", u) for u in units))
        after["node_plans"] = {code: day for code, day in plan.items() if day is not None}
        changes.append(Change(project, ChangeAction.CREATE, after=after))
    record_changes(changes, actor=actor)
    recompute_lights({project.campaign_id for project in projects})
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
                check_amount(project.investment_yuan, "investment_yuan")
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
