"""The office's project sheet, imported: create or update by project code.

Exporting a filtered list (``project_export``) and importing it again changes nothing, so
offices can export, edit and import. Units are found by full name, code, short name or
another registered name, and a miss names the closest; people by name within the lead
unit. What cannot be true of a major project is refused, in words, before anything is
written; new and changed rows are written through one bulk action each.
"""

import difflib
import re
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vanguard.audit.choices import IMPORT_REASON
from vanguard.exchange.importing import FieldChange, Importer, Problem, RowAction, RowPlan
from vanguard.exchange.parsers import clean_name
from vanguard.exchange.reading import header_name
from vanguard.maps.district import locate
from vanguard.org import access
from vanguard.org.models import Person, Unit
from vanguard.projects.actions import (
    RowsRefused,
    do_create_project,
    do_create_projects,
    do_set_milestone_plan,
    do_update_project,
    do_update_projects,
)
from vanguard.projects.choices import ProjectKind
from vanguard.projects.models import KeyNode, Milestone, Project
from vanguard.projects.sheets.columns import (
    KIND_LABELS,
    LOOKUP_CHUNK,
    PROJECT_COLUMNS,
    SIMPLE_FIELDS,
    STAGE_COLUMN,
    TEXT_FIELDS,
    as_text,
    chunks,
    money_text,
    node_column,
)


def unit_key(name):
    """A unit's name reduced for matching: no spaces, invisible characters or line breaks."""
    return re.sub(r"\s+", "", clean_name(name)).lower()


class UnitNames:
    """Every unit by its full name, code, short name and aliases, and the closest to a typo."""

    def __init__(self):
        self.by_key = {}
        self.full = {}
        units = Unit.objects.only("pk", "code", "name", "short_name", "aliases")
        for unit in units.order_by("pk"):
            self.full[unit.name] = unit
            for name in (unit.name, unit.code):
                self.by_key[unit_key(name)] = unit
        # Short names and aliases never override a full name or a code.
        for unit in self.full.values():
            for name in unit.other_names():
                self.by_key.setdefault(unit_key(name), unit)

    def get(self, name):
        return self.by_key.get(unit_key(name))

    def closest(self, name):
        """The full name of the unit whose name (or alias) is closest to ``name``, or None."""
        found = difflib.get_close_matches(unit_key(name), list(self.by_key), n=1, cutoff=0.6)
        return self.by_key[found[0]].name if found else None

    def __iter__(self):
        return iter(self.full.values())


class ProjectImporter(Importer):
    """Import the office's project sheet into a campaign: create or update by project code."""

    # The bulk actions check versions and free codes again inside the transaction.
    plans_before_locking = True

    def __init__(self, *, actor, campaign):
        super().__init__(actor=actor)
        self.campaign = campaign
        self.nodes = list(KeyNode.objects.filter(campaign=campaign).order_by("order"))
        # Labels of the preview: the header without its unit note ("总投资").
        self.headers = {c.key: header_name(c.header) for c in self.get_columns()}

    def get_columns(self):
        return [*PROJECT_COLUMNS, STAGE_COLUMN, *(node_column(n) for n in self.nodes)]

    def check(self):
        if access.may_manage_projects(self.actor):
            return []
        return [
            Problem(
                _("Only the headquarters office or the projects task force may import projects.")
            )
        ]

    def field_column(self, field_name):
        return field_name if field_name in self.headers else "code"

    # --- loading what the rows name, in a few queries ---------------------------

    def prepare(self, rows):
        codes = {row.values.get("code") for row in rows} - {None}
        self.existing = {}
        # Milestones and supporting units as plain values: thousands of rows compare
        # without building thousands of model objects.
        self.planned = defaultdict(dict)
        self.supporting = defaultdict(dict)
        node_codes = {n.pk: n.code for n in self.nodes}
        for chunk in chunks(sorted(codes), LOOKUP_CHUNK):
            projects = Project.objects.filter(code__in=chunk).select_related(
                "lead_unit", "responsible_person"
            )
            found = {p.pk: p for p in projects}
            self.existing.update((p.code, p) for p in found.values())
            for project_id, node_id, planned in Milestone.objects.filter(
                project_id__in=found
            ).values_list("project_id", "node_id", "planned_date"):
                if node_id in node_codes:
                    self.planned[project_id][node_codes[node_id]] = planned
            links = Project.supporting_units.through.objects.filter(project_id__in=found)
            for project_id, unit_id, name in links.order_by("unit__code").values_list(
                "project_id", "unit_id", "unit__name"
            ):
                self.supporting[project_id][unit_id] = name
        # Units are few (a district has a hundred or two): all of them, with their other
        # names, in one query.
        self.units = UnitNames()
        people = {row.values.get("responsible_person") for row in rows} - {None}
        self.people = {}
        leads = (self.units.get(row.values.get("lead_unit") or "") for row in rows)
        lead_ids = {unit.pk for unit in leads if unit is not None}
        for chunk in chunks(sorted(people), LOOKUP_CHUNK):
            for person in Person.objects.filter(name__in=chunk, unit_id__in=lead_ids):
                self.people.setdefault((person.unit_id, person.name), []).append(person)

    def _unit(self, row, key, name):
        unit = self.units.get(name)
        if unit is None:
            closest = self.units.closest(name)
            if closest:
                message = _("There is no unit named “{name}”; did you mean “{closest}”?")
            else:
                message = _(
                    "There is no unit named “{name}”: write its full name, short name or"
                    " another name registered for it."
                )
            row.problem(key, message.format(name=name, closest=closest))
        return unit

    # --- planning -----------------------------------------------------------------

    def plan_row(self, row):
        code = row.get("code") or ""
        project = self.existing.get(code)
        plan = RowPlan(
            row.sheet, row.number, code, RowAction.CREATE if project is None else RowAction.UPDATE
        )
        if project is not None and project.campaign_id != self.campaign.pk:
            row.problem(
                "code",
                _("Project code “{code}” belongs to another campaign.").format(code=code),
            )
            return plan
        fields = self._fields(row)
        self._check_plausible(row, fields, project)
        supporting = None
        if row.has("supporting_units"):
            found = [
                self._unit(row, "supporting_units", n) for n in row.get("supporting_units", [])
            ]
            lead = fields.get("lead_unit")
            if lead is not None and any(u is not None and u.pk == lead.pk for u in found):
                plan.notes.append(
                    _(
                        "The lead unit “{unit}” cannot also be a supporting unit; it is left"
                        " out of the supporting units."
                    ).format(unit=lead.name)
                )
            supporting = list(
                {
                    u.pk: u for u in found if u is not None and (lead is None or u.pk != lead.pk)
                }.values()
            )
        nodes = self._node_plans(row, project)
        plan.data = {"fields": fields, "supporting_units": supporting, "node_plans": nodes}
        if project is None:
            self._plan_create(plan, fields, supporting, nodes)
        else:
            self._plan_update(plan, project, fields, supporting, nodes)
        return plan

    def _check_plausible(self, row, fields, project):
        """Refuse what cannot be true of a major project, in words, before anything is written."""
        if fields.get("investment_yuan") == 0:
            row.problem(
                "investment_yuan",
                _("A major project cannot have a total investment of 0: write its amount."),
            )

        def value(name):
            if name in fields:
                return fields[name]
            return getattr(project, name) if project is not None else None

        if "longitude" in fields or "latitude" in fields:
            lon, lat = value("longitude"), value("latitude")
            if lon is not None and lat is not None:
                try:
                    locate(lon, lat, field="longitude")
                except ValidationError as refused:
                    row.problem("longitude", refused.messages[0])

        steps = ("introduced_planned", "started_planned", "completed_planned")
        for index, later in enumerate(steps[1:], start=1):
            later_day = value(later)
            if later_day is None:
                continue
            earlier = next((s for s in reversed(steps[:index]) if value(s) is not None), None)
            if earlier is not None and later_day < value(earlier):
                row.problem(
                    later if later in fields else earlier,
                    _("{later} ({later_day}) is before {earlier} ({earlier_day}).").format(
                        later=self.headers[later],
                        later_day=later_day.isoformat(),
                        earlier=self.headers[earlier],
                        earlier_day=value(earlier).isoformat(),
                    ),
                )
        previous = None
        for node in self.nodes:
            day = row.get("node:" + node.code)
            if day is None:
                continue
            if previous is not None and day < previous[1]:
                row.problem(
                    "node:" + node.code,
                    _(
                        "Key nodes out of order: “{node}” ({day}) is planned before “{before}”"
                        " ({before_day}), which comes earlier."
                    ).format(
                        node=node.name,
                        day=day.isoformat(),
                        before=previous[0].name,
                        before_day=previous[1].isoformat(),
                    ),
                )
            else:
                previous = (node, day)

    def _fields(self, row):
        fields = {}
        for name in SIMPLE_FIELDS:
            if not row.has(name):
                continue
            value = row.get(name)
            if value is None and name in TEXT_FIELDS:
                value = ""
            if value is None and name == "kind":
                value = ProjectKind.OTHER
            fields[name] = value
        lead = None
        if row.get("lead_unit"):
            lead = self._unit(row, "lead_unit", row.get("lead_unit"))
            fields["lead_unit"] = lead
        if row.has("responsible_person"):
            name = row.get("responsible_person")
            fields["responsible_person"] = self._person(row, lead, name) if name else None
        return fields

    def _person(self, row, lead, name):
        if lead is None:
            return None
        found = self.people.get((lead.pk, name), [])
        if len(found) == 1:
            return found[0]
        if not found:
            row.problem(
                "responsible_person",
                _("The lead unit “{unit}” has no person named “{name}”.").format(
                    unit=lead.name, name=name
                ),
            )
        else:
            row.problem(
                "responsible_person",
                _(
                    "The lead unit “{unit}” has {n} people named “{name}”; cannot tell which."
                ).format(unit=lead.name, name=name, n=len(found)),
            )
        return None

    def _node_plans(self, row, project):
        plans = {}
        milestones = self.planned.get(project.pk, {}) if project else {}
        for node in self.nodes:
            key = "node:" + node.code
            if not row.has(key):
                continue
            if project is not None and node.code not in milestones:
                if row.get(key) is not None:
                    row.problem(
                        key,
                        _("Project “{code}” has no key node “{node}”.").format(
                            code=project.code, node=node.name
                        ),
                    )
                continue
            plans[node.code] = row.get(key)
        return plans

    def _plan_create(self, plan, fields, supporting, nodes):
        for name, value in fields.items():
            if value not in (None, ""):
                plan.changes.append(self._change(name, None, value))
        if supporting:
            plan.changes.append(self._change("supporting_units", None, supporting))
        by_code = {n.code: n for n in self.nodes}
        for code, day in nodes.items():
            if day is not None:
                plan.changes.append(
                    FieldChange("node:" + code, by_code[code].name, "", as_text(day))
                )

    def _plan_update(self, plan, project, fields, supporting, nodes):
        changed = {}
        for name, value in fields.items():
            before = getattr(project, name)
            if isinstance(before, Unit | Person) or isinstance(value, Unit | Person):
                same = getattr(before, "pk", None) == getattr(value, "pk", None)
            elif isinstance(before, Decimal) or isinstance(value, Decimal):
                same = (before is None and value is None) or (
                    before is not None and value is not None and Decimal(before) == value
                )
            else:
                same = before == value
            if not same:
                changed[name] = value
                plan.changes.append(self._change(name, before, value))
        planned = self.planned.get(project.pk, {})
        names = {n.code: n.name for n in self.nodes}
        node_changes = {code: day for code, day in nodes.items() if planned[code] != day}
        for code, day in node_changes.items():
            plan.changes.append(
                FieldChange("node:" + code, names[code], as_text(planned[code]), as_text(day))
            )
        if supporting is not None:
            before = self.supporting.get(project.pk, {})
            if set(before) != {u.pk for u in supporting}:
                changed["supporting_units"] = supporting
                plan.changes.append(
                    FieldChange(
                        "supporting_units",
                        self.headers["supporting_units"],
                        "、".join(before.values()),
                        as_text(supporting),
                    )
                )
        plan.data.update(changed=changed, node_changes=node_changes, project=project)
        if not changed and not node_changes:
            plan.action = RowAction.UNCHANGED

    def _change(self, name, before, after):
        shown = money_text if name == "investment_yuan" else as_text
        if name == "kind":
            shown = lambda v: KIND_LABELS.get(v, "") if v else ""  # noqa: E731
        return FieldChange(name, self.headers.get(name, name), shown(before), shown(after))

    # --- applying -----------------------------------------------------------------

    def write(self, plans, result):
        """New rows through one ``do_create_projects``, changed ones through one ``do_update_projects``.

        Per row, 10,000 projects would hold the write lock for minutes. Each refused row
        is reported at its own row; the caller then rolls everything back.
        """
        creates = [p for p in plans if p.action == RowAction.CREATE]
        updates = [p for p in plans if p.action == RowAction.UPDATE]
        refused = []
        if creates:
            rows = [
                {
                    "campaign": self.campaign,
                    "code": plan.key,
                    "supporting_units": plan.data["supporting_units"] or (),
                    "node_plans": {
                        c: d for c, d in plan.data["node_plans"].items() if d is not None
                    },
                    **plan.data["fields"],
                }
                for plan in creates
            ]
            refused += self._bulk(do_create_projects, creates, rows)
        if updates:
            rows = [
                {
                    "project": plan.data["project"],
                    "expected_version": plan.data["project"].version,
                    "changes": {
                        k: v for k, v in plan.data["changed"].items() if k != "supporting_units"
                    },
                    "supporting_units": plan.data["changed"].get("supporting_units"),
                    "node_plans": plan.data["node_changes"],
                }
                for plan in updates
            ]
            refused += self._bulk(do_update_projects, updates, rows, reason=IMPORT_REASON)
        for plan, error in refused:
            self.refuse(plan, result, error)

    def _bulk(self, action, plans, rows, **options):
        """Call a bulk action; return its refusals as (plan, error).

        An action that fails outright is reported once, at the first of its rows.
        """
        try:
            action(rows, actor=self.actor, **options)
        except RowsRefused as refused:
            return [(plans[index], error) for index, error in sorted(refused.by_row.items())]
        except Exception as exc:  # noqa: BLE001 - reported at a row, then rolled back
            return [(plans[0], exc)]
        return []

    def apply_row(self, plan):
        """One row through the single-project actions (``write`` does all rows at once)."""
        data = plan.data
        if plan.action == RowAction.CREATE:
            do_create_project(
                campaign=self.campaign,
                code=plan.key,
                actor=self.actor,
                supporting_units=data["supporting_units"] or (),
                node_plans={c: d for c, d in data["node_plans"].items() if d is not None},
                **data["fields"],
            )
            return
        project = data["project"]
        if data["changed"]:
            project = do_update_project(
                project,
                actor=self.actor,
                expected_version=project.version,
                reason=IMPORT_REASON,
                **data["changed"],
            )
        if data["node_changes"]:
            do_set_milestone_plan(
                project, data["node_changes"], actor=self.actor, reason=IMPORT_REASON
            )
