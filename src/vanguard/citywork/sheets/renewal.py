"""The renewal projects workbook (城市更新项目): its columns, its import, its export.

One row per project, keyed by its code: a code that exists in the campaign updates that
project, a new one creates it. The kind is named as the office names it (老旧小区改造);
the lead unit by its full name, code, short name or another registered name; the
responsible person by name within the lead unit. The location is a point (经度, 纬度)
or a polygon or point written as GeoJSON (空间范围), in WGS84. Everything is planned
first and written in one transaction through the actions, or nothing is. The export
writes the same headers, so export → import changes nothing; the verified facts it
adds are for the reader and ignored on import.
"""

import difflib
import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vanguard.audit.choices import IMPORT_REASON
from vanguard.citywork.actions.renewal import (
    PROJECT_FIELDS,
    check_project,
    do_create_renewal_project,
    do_update_renewal_project,
)
from vanguard.citywork.locations import point
from vanguard.citywork.models import RenewalKind, RenewalProject
from vanguard.exchange.importing import Column, FieldChange, Importer, Problem, RowAction, RowPlan
from vanguard.exchange.parsers import decimal, parse_date, text
from vanguard.exchange.xlsx import Sheet
from vanguard.org import access
from vanguard.org.models import Person
from vanguard.org.names import UnitNames

SHEET = "城市更新项目"

COLUMNS = (
    Column(
        "code",
        "项目编号",
        ("编号", "project code"),
        required=True,
        parser=text(64, one_line=True),
        is_key=True,
    ),
    Column("name", "项目名称", ("名称", "name"), required=True, parser=text(200, one_line=True)),
    Column("kind", "项目类型", ("类型", "更新类型", "kind"), required=True, parser=text(100)),
    Column(
        "lead_unit",
        "主责单位",
        ("责任单位", "牵头单位", "lead unit"),
        required=True,
        parser=text(200),
    ),
    Column(
        "responsible_person",
        "责任人",
        ("责任人员", "responsible person"),
        required=True,
        parser=text(100, one_line=True),
    ),
    Column("address", "项目位置", ("位置", "地址", "address"), parser=text(200, one_line=True)),
    Column("lon", "经度", ("longitude", "lon"), parser=decimal(7, minimum=-180, maximum=180)),
    Column("lat", "纬度", ("latitude", "lat"), parser=decimal(7, minimum=-90, maximum=90)),
    Column("geometry", "空间范围", ("范围", "GeoJSON", "geometry"), parser=text(200_000)),
    Column(
        "planned_start",
        "计划开工日期",
        ("计划开工", "planned start"),
        required=True,
        parser=parse_date,
    ),
    Column(
        "planned_completion",
        "计划竣工日期",
        ("计划完工日期", "计划竣工", "planned completion"),
        required=True,
        parser=parse_date,
    ),
    # Written for the reader, ignored on import: they come from verified weekly reports.
    Column("stage", "项目阶段", informational=True),
    Column("progress", "形象进度（%）", informational=True),
    Column("actual_start", "实际开工日期", informational=True),
    Column("actual_completion", "实际竣工日期", informational=True),
)
LABELS = {c.key: c.header for c in COLUMNS}


class RenewalImporter(Importer):
    """Import the renewal projects workbook into a campaign: create or update by code."""

    def __init__(self, *, actor, campaign):
        super().__init__(actor=actor)
        self.campaign = campaign

    def get_columns(self):
        return list(COLUMNS)

    def check(self):
        if access.may_manage_weekly_work(self.actor):
            return []
        return [
            Problem(
                _("Only the headquarters office or the city-work task force may load projects.")
            )
        ]

    def field_column(self, field_name):
        if field_name == "geometry":
            return "geometry"
        return field_name if field_name in LABELS else "code"

    def prepare(self, rows):
        codes = {row.values.get("code") for row in rows} - {None}
        self.existing = {
            p.code: p
            for p in RenewalProject.objects.filter(
                campaign=self.campaign, code__in=codes
            ).select_related("kind", "lead_unit", "responsible_person")
        }
        self.kinds = {}
        for kind in RenewalKind.objects.all():
            self.kinds[kind.name] = kind
            self.kinds.setdefault(kind.code, kind)
        self.units = UnitNames()
        names = {row.values.get("responsible_person") for row in rows} - {None}
        self.people = {}
        for person in Person.objects.filter(name__in=names):
            self.people.setdefault((person.unit_id, person.name), []).append(person)

    def _kind(self, row):
        name = "".join((row.get("kind") or "").split())
        kind = self.kinds.get(name)
        if kind is None:
            closest = difflib.get_close_matches(name, [k for k in self.kinds if k], n=1)
            known = "、".join(k.name for k in dict.fromkeys(self.kinds.values()) if k.active)
            if closest:
                message = _("There is no kind “{name}”; did you mean “{closest}”?")
            else:
                message = _("There is no kind “{name}”; the kinds are: {known}.")
            row.problem(
                "kind",
                message.format(name=name, closest=closest[0] if closest else "", known=known),
            )
        return kind

    def _unit(self, row):
        name = row.get("lead_unit")
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
            row.problem("lead_unit", message.format(name=name, closest=closest))
        return unit

    def _person(self, row, unit):
        name = row.get("responsible_person")
        found = self.people.get((unit.pk, name), [])
        if len(found) == 1:
            return found[0]
        if found:
            row.problem(
                "responsible_person",
                _("{unit} has several people named “{name}”; set the project in the page.").format(
                    unit=unit.name, name=name
                ),
            )
        else:
            row.problem(
                "responsible_person",
                _("{unit} has no person named “{name}”.").format(unit=unit.name, name=name),
            )
        return None

    def _geometry(self, row):
        shape, lon, lat = row.get("geometry"), row.get("lon"), row.get("lat")
        try:
            if shape:
                return shape
            if lon is None or lat is None:
                row.problem(
                    "lon",
                    _("Give the location: 经度 and 纬度 of a point, or the 空间范围 as GeoJSON."),
                )
                return None
            return point(float(lon), float(lat))
        except ValidationError as exc:
            row.problem("lon", " ".join(exc.messages))
            return None

    def plan_row(self, row):
        code = row.get("code") or ""
        project = self.existing.get(code)
        plan = RowPlan(
            row.sheet, row.number, code, RowAction.CREATE if project is None else RowAction.UPDATE
        )
        fields = {name: row.get(name) for name in PROJECT_FIELDS}
        fields["kind"] = self._kind(row) if row.get("kind") else None
        unit = self._unit(row) if row.get("lead_unit") else None
        fields["lead_unit"] = unit
        fields["responsible_person"] = (
            self._person(row, unit) if unit and row.get("responsible_person") else None
        )
        fields["geometry"] = self._geometry(row)
        if row.problems:
            return plan
        try:
            check_project(fields, new_kind=project is None or fields["kind"] != project.kind)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    row.problem(self.field_column(name), message)
            return plan
        plan.data = {"fields": fields}
        before = {n: getattr(project, n) for n in PROJECT_FIELDS} if project else {}
        plan.changes = [
            FieldChange(n, LABELS.get(n, LABELS["geometry"]), _shown(before.get(n)), _shown(v))
            for n, v in fields.items()
            if project is None or before[n] != v
        ]
        if project is not None and not plan.changes:
            plan.action = RowAction.UNCHANGED
        return plan

    def apply_row(self, plan):
        fields = plan.data["fields"]
        project = self.existing.get(plan.key)
        if project is None:
            do_create_renewal_project(
                self.campaign, code=plan.key, actor=self.actor, reason=IMPORT_REASON, **fields
            )
        else:
            do_update_renewal_project(project, actor=self.actor, reason=IMPORT_REASON, **fields)


def _shown(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "name"):
        return value.name
    return str(value)


def renewal_sheet(projects, caption=()):
    """The workbook sheet of ``projects``, in the layout the import reads."""
    rows = []
    for p in projects.select_related("kind", "lead_unit", "responsible_person").order_by("code"):
        is_point = p.geometry.get("type") == "Point"
        rows.append(
            (
                p.code,
                p.name,
                p.kind.name,
                p.lead_unit.name,
                p.responsible_person.name,
                p.address,
                p.lon if is_point else None,
                p.lat if is_point else None,
                "" if is_point else json.dumps(p.geometry, ensure_ascii=False),
                p.planned_start,
                p.planned_completion,
                p.get_stage_display(),
                p.progress_percent,
                p.actual_start,
                p.actual_completion,
            )
        )
    return Sheet(
        title=SHEET,
        headers=[c.header for c in COLUMNS],
        rows=rows,
        caption=list(caption),
    )
