"""The office's list workbook, imported: items by code, then their checkpoints by period.

Both sheets are read from one workbook (headers anywhere under title rows; section
headings, notes and hidden rows skipped and said so). An item code that exists in the
campaign updates that item; a new one creates it. Units are found by full name, code,
short name or another registered name; the responsible person by name within the
unit. A checkpoint names its item (in the file or already loaded) and its period; its
due date follows the campaign's deadline rule unless the sheet gives one. Everything is
planned first and written in one transaction through the actions, or nothing is.
"""

import difflib
import io
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vanguard.audit.choices import IMPORT_REASON
from vanguard.exchange.importing import FieldChange, Importer, Problem, RowAction, RowPlan
from vanguard.exchange.importing.layout import read_sheets
from vanguard.exchange.parsers import clean_name
from vanguard.lists.actions import (
    ITEM_FIELDS,
    check_item,
    do_create_item,
    do_set_checkpoint,
    do_update_item,
)
from vanguard.lists.choices import Measure
from vanguard.lists.models import Checkpoint, ListItem
from vanguard.lists.periods import due_date, read_period
from vanguard.lists.sheets.columns import (
    BATTLE_LABELS,
    CADENCE_LABELS,
    CHECKPOINT_COLUMNS,
    ITEM_COLUMNS,
    MEASURE_LABELS,
)
from vanguard.org import access
from vanguard.org.models import Person, Unit


def _key(name):
    return re.sub(r"\s+", "", clean_name(name)).lower()


class UnitNames:
    """Every unit by full name, code, short name and aliases; the closest name to a typo."""

    def __init__(self):
        self.by_key = {}
        units = list(Unit.objects.only("pk", "code", "name", "short_name", "aliases"))
        for unit in units:
            self.by_key[_key(unit.name)] = unit
            self.by_key[_key(unit.code)] = unit
        for unit in units:
            for name in unit.other_names():
                self.by_key.setdefault(_key(name), unit)

    def get(self, name):
        return self.by_key.get(_key(name))

    def closest(self, name):
        found = difflib.get_close_matches(_key(name), list(self.by_key), n=1, cutoff=0.6)
        return self.by_key[found[0]].name if found else None


def _text(value):
    if value is None:
        return ""
    if hasattr(value, "normalize"):
        return "{:f}".format(value.normalize())
    return str(value)


class ListImporter(Importer):
    """Import the office's list workbook into a campaign."""

    def __init__(self, *, actor, campaign):
        super().__init__(actor=actor)
        self.campaign = campaign
        self.labels = {c.key: c.header for c in (*ITEM_COLUMNS, *CHECKPOINT_COLUMNS)}

    def get_columns(self):
        return [*ITEM_COLUMNS, *CHECKPOINT_COLUMNS]

    def check(self):
        if access.may_manage_lists(self.actor):
            return []
        return [Problem(_("Only the headquarters office may load the lists."))]

    def field_column(self, field_name):
        return field_name if field_name in self.labels else "code"

    def read(self, source):
        """Both sheets of one workbook: the items first, then the checkpoints."""
        if hasattr(source, "read"):
            data = source.read()
        else:
            with open(source, "rb") as stream:
                data = stream.read()
        rows, problems, notes, sheets = read_sheets(
            io.BytesIO(data), ITEM_COLUMNS, self.begin_sheet
        )
        more, more_problems, more_notes, more_sheets = read_sheets(
            io.BytesIO(data), CHECKPOINT_COLUMNS, self.begin_sheet
        )
        if more_sheets:
            problems += more_problems
        # Hidden sheets and rows are seen by both readings; say so once.
        notes = list(dict.fromkeys([*notes, *more_notes]))
        return rows + more, problems, notes, sheets + more_sheets

    # --- loading what the rows name ---------------------------------------------

    def prepare(self, rows):
        codes = {row.values.get("code") or row.values.get("item_code") for row in rows} - {None}
        self.existing = {
            item.code: item
            for item in ListItem.objects.filter(
                campaign=self.campaign, code__in=codes
            ).select_related("unit", "responsible_person")
        }
        self.checkpoints = {
            (c.item_id, c.period): c
            for c in Checkpoint.objects.filter(item__in=list(self.existing.values()))
        }
        self.units = UnitNames()
        self.people = defaultdict(list)
        names = {row.values.get("responsible_person") for row in rows} - {None}
        for person in Person.objects.filter(name__in=names):
            self.people[(person.unit_id, person.name)].append(person)
        # The items of this file, as planned: their checkpoints are checked against them.
        self.planned = {}
        self.failed = set()

    # --- planning -------------------------------------------------------------------

    def plan_row(self, row):
        if row.has("period"):
            return self._plan_checkpoint(row)
        return self._plan_item(row)

    def _unit(self, row, name):
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
            row.problem("unit", message.format(name=name, closest=closest))
        return unit

    def _plan_item(self, row):
        code = row.get("code") or ""
        item = self.existing.get(code)
        plan = RowPlan(
            row.sheet, row.number, code, RowAction.CREATE if item is None else RowAction.UPDATE
        )
        fields = {key: row.get(key) for key in ITEM_FIELDS}
        unit = self._unit(row, row.get("unit")) if row.get("unit") else None
        fields["unit"] = unit
        person = None
        name = row.get("responsible_person")
        if unit is not None and name:
            found = self.people.get((unit.pk, name), [])
            if len(found) == 1:
                person = found[0]
            elif found:
                row.problem(
                    "responsible_person",
                    _("{unit} has several people named “{name}”; set the item in the page.").format(
                        unit=unit.name, name=name
                    ),
                )
            else:
                row.problem(
                    "responsible_person",
                    _("{unit} has no person named “{name}”.").format(unit=unit.name, name=name),
                )
        fields["responsible_person"] = person
        fields["measuring_unit"] = (fields.get("measuring_unit") or "").strip()
        if fields.get("measure") == Measure.MILESTONE:
            fields["measuring_unit"] = ""
        if row.problems:
            self.failed.add(code)
            return plan
        try:
            check_item(fields)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    row.problem(name if name in self.labels else "code", message)
            self.failed.add(code)
            return plan
        self.planned[code] = fields
        plan.data = {"fields": fields}
        if item is None:
            plan.changes = [
                FieldChange(k, self.labels[k], "", self._shown(k, v)) for k, v in fields.items()
            ]
            return plan
        plan.changes = [
            FieldChange(k, self.labels[k], self._shown(k, getattr(item, k)), self._shown(k, v))
            for k, v in fields.items()
            if getattr(item, k) != v
        ]
        if not plan.changes:
            plan.action = RowAction.UNCHANGED
        return plan

    def _shown(self, key, value):
        words = {
            "battle": BATTLE_LABELS,
            "cadence": CADENCE_LABELS,
            "measure": MEASURE_LABELS,
        }.get(key)
        if words is not None:
            return words.get(value, value or "")
        if key in ("unit", "responsible_person"):
            return value.name if value is not None else ""
        return _text(value)

    def _plan_checkpoint(self, row):
        code = row.get("item_code") or ""
        label = row.get("period") or ""
        plan = RowPlan(row.sheet, row.number, "{} {}".format(code, label), RowAction.CREATE)
        item = self.existing.get(code)
        fields = self.planned.get(code)
        if fields is None and item is not None:
            fields = {name: getattr(item, name) for name in ITEM_FIELDS}
        if code in self.failed:
            row.problem(
                "item_code",
                _("The row of item “{code}” on the items sheet has problems; fix it first.").format(
                    code=code
                ),
            )
            return plan
        if fields is None:
            row.problem(
                "item_code",
                _("No item “{code}” in this campaign or on the items sheet.").format(code=code),
            )
            return plan
        try:
            period = read_period(label, fields["cadence"])
        except ValueError as exc:
            row.problem("period", str(exc))
            return plan
        planned, milestone = row.get("planned_quantity"), (row.get("milestone") or "").strip()
        if fields["measure"] == Measure.QUANTITY:
            if planned is None:
                row.problem("planned_quantity", _("Give the cumulative quantity planned."))
            elif fields["target_quantity"] is not None and planned > fields["target_quantity"]:
                row.problem(
                    "planned_quantity",
                    _("The planned {planned} is above the item's target {target}.").format(
                        planned=_text(planned), target=_text(fields["target_quantity"])
                    ),
                )
            milestone = ""
        else:
            planned = None
            if not milestone:
                row.problem("milestone", _("Say what is to be reached in this period."))
        if row.problems:
            return plan
        day = row.get("due_date") or due_date(self.campaign, period)
        plan.data = {
            "code": code,
            "period": period,
            "planned_quantity": planned,
            "milestone": milestone,
            "due": day,
        }
        wanted = {"due_date": day, "planned_quantity": planned, "milestone": milestone}
        current = self.checkpoints.get((item.pk, period.label)) if item is not None else None
        if current is None:
            plan.changes = [
                FieldChange(k, self.labels.get(k, k), "", _text(v)) for k, v in wanted.items() if v
            ]
            return plan
        plan.action = RowAction.UPDATE
        plan.changes = [
            FieldChange(k, self.labels.get(k, k), _text(getattr(current, k)), _text(v))
            for k, v in wanted.items()
            if getattr(current, k) != v
        ]
        if not plan.changes:
            plan.action = RowAction.UNCHANGED
        return plan

    # --- applying -------------------------------------------------------------------

    def apply_row(self, plan):
        if "period" in plan.data:
            item = ListItem.objects.get(campaign=self.campaign, code=plan.data["code"])
            do_set_checkpoint(
                item,
                period=plan.data["period"],
                planned_quantity=plan.data["planned_quantity"],
                milestone=plan.data["milestone"],
                due=plan.data["due"],
                actor=self.actor,
                reason=IMPORT_REASON,
            )
            return
        fields = plan.data["fields"]
        item = self.existing.get(plan.key)
        if item is None:
            do_create_item(
                self.campaign, code=plan.key, actor=self.actor, reason=IMPORT_REASON, **fields
            )
        else:
            do_update_item(item, actor=self.actor, reason=IMPORT_REASON, **fields)
