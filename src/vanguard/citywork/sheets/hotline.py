"""The 12345 hotline sheet (12345工单): tickets the hotline hands over become cases.

One row per ticket, keyed by its number (工单编号): a ticket already taken in is left
as it is, so the same day's sheet can be loaded twice. The category is named as the
office names it (小类, or 大类/小类, or its code); the location is a point (经度, 纬度,
in the system named by 坐标系: WGS84, GCJ-02 or BD-09), or, when the hotline gives only
an address, the town or street the address names (its centre, marked as approximate
in the case's address). A ticket becomes a case awaiting registration: a report from
the public is checked before it is registered (立案). Everything is planned first and
written in one transaction, or nothing is.
"""

import difflib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vanguard.citywork.actions.cases import check_category, clean_description, do_report_case
from vanguard.citywork.locations import street_centre_named_in
from vanguard.citywork.models import Case, CaseCategory
from vanguard.citywork.models.cases import CaseSource
from vanguard.core.coords import CoordinateSystem
from vanguard.exchange.importing import Column, FieldChange, Importer, Problem, RowAction, RowPlan
from vanguard.exchange.parsers import choice, decimal, parse_datetime, text
from vanguard.exchange.xlsx import Sheet
from vanguard.maps import district
from vanguard.org import access

SHEET = "12345工单"

COLUMNS = (
    Column(
        "ticket",
        "工单编号",
        ("工单号", "编号", "ticket"),
        required=True,
        parser=text(64, one_line=True),
        is_key=True,
    ),
    Column(
        "reported_at",
        "受理时间",
        ("来电时间", "登记时间", "received"),
        required=True,
        parser=parse_datetime,
    ),
    Column(
        "category", "问题类别", ("类别", "诉求类别", "category"), required=True, parser=text(200)
    ),
    Column(
        "description",
        "诉求内容",
        ("内容", "问题描述", "description"),
        required=True,
        parser=text(4000),
    ),
    Column("address", "事发地址", ("地址", "address"), parser=text(300, one_line=True)),
    Column("lon", "经度", ("longitude", "lon"), parser=decimal(7, minimum=-180, maximum=180)),
    Column("lat", "纬度", ("latitude", "lat"), parser=decimal(7, minimum=-90, maximum=90)),
    Column(
        "system",
        "坐标系",
        ("coordinate system",),
        parser=choice(
            CoordinateSystem,
            labels={"wgs84": "WGS84", "gcj02": "GCJ-02", "bd09": "BD-09"},
            synonyms={
                "国测局": "gcj02",
                "高德": "gcj02",
                "微信": "gcj02",
                "百度": "bd09",
                "GPS": "wgs84",
            },
        ),
    ),
    Column(
        "reporter_name", "来电人", ("诉求人", "姓名", "caller"), parser=text(100, one_line=True)
    ),
    Column("reporter_phone", "联系电话", ("电话", "phone"), parser=text(32, one_line=True)),
)
LABELS = {c.key: c.header for c in COLUMNS}


class HotlineImporter(Importer):
    """Take a 12345 sheet into a campaign's case pool: one case per new ticket."""

    def __init__(self, *, actor, campaign):
        super().__init__(actor=actor)
        self.campaign = campaign

    def get_columns(self):
        return list(COLUMNS)

    def check(self):
        if access.may_keep_cases(self.actor):
            return []
        return [
            Problem(
                _(
                    "Only the headquarters office or the city-work task force may load 12345 tickets."
                )
            )
        ]

    def field_column(self, field_name):
        return {"location": "lon", "hotline_ticket": "ticket"}.get(
            field_name, field_name if field_name in LABELS else "ticket"
        )

    def prepare(self, rows):
        tickets = {row.values.get("ticket") for row in rows} - {None}
        self.taken = set(
            Case.objects.filter(campaign=self.campaign, hotline_ticket__in=tickets).values_list(
                "hotline_ticket", flat=True
            )
        )
        self.seen = set()
        self.categories = {}
        for category in CaseCategory.objects.filter(parent__isnull=False).select_related("parent"):
            for key in (category.name, category.code, f"{category.parent.name}/{category.name}"):
                self.categories.setdefault(key, category)

    def _category(self, row):
        name = "".join((row.get("category") or "").split()).replace("／", "/")
        category = None
        for key in (name, name.replace("-", "/"), name.rsplit("/", 1)[-1]):
            category = category or self.categories.get(key)
        if category is None:
            closest = difflib.get_close_matches(name, list(self.categories), n=1)
            message = (
                _("There is no case category “{name}”; did you mean “{closest}”?")
                if closest
                else _(
                    "There is no case category “{name}”: name a subcategory as the categories page does."
                )
            )
            row.problem(
                "category", message.format(name=name, closest=closest[0] if closest else "")
            )
            return None
        try:
            return check_category(category)
        except ValidationError as exc:
            row.problem("category", " ".join(exc.messages))
            return None

    def _location(self, row):
        lon, lat, address = row.get("lon"), row.get("lat"), row.get("address") or ""
        if lon is not None and lat is not None:
            system = row.get("system") or CoordinateSystem.WGS84.value
            try:
                # Checked here to name the cell; converted once, by the action.
                district.locate(lon, lat, system)
            except ValidationError as exc:
                row.problem("lon", " ".join(exc.messages))
                return None
            return float(lon), float(lat), system, address
        if lon is not None or lat is not None:
            row.problem("lon", _("Give both 经度 and 纬度, or neither and an address."))
            return None
        found = street_centre_named_in(address)
        if found is not None:
            lon, lat, name = found
            return (
                lon,
                lat,
                CoordinateSystem.WGS84.value,
                _("{address} (approximate: {street})").format(address=address, street=name),
            )
        row.problem(
            "address",
            _(
                "Give 经度 and 纬度, or an address that names the town or street (黄岛街道, 灵山卫街道, …)."
            ),
        )
        return None

    def plan_row(self, row):
        ticket = row.get("ticket") or ""
        plan = RowPlan(row.sheet, row.number, ticket, RowAction.CREATE)
        if ticket in self.taken:
            plan.action = RowAction.UNCHANGED
            return plan
        if ticket in self.seen:
            row.problem("ticket", _("Ticket {ticket} is in the sheet twice.").format(ticket=ticket))
            return plan
        self.seen.add(ticket)
        category = self._category(row) if row.get("category") else None
        location = self._location(row)
        try:
            description = clean_description(row.get("description"))
        except ValidationError as exc:
            row.problem("description", " ".join(exc.messages))
            description = None
        if row.problems or category is None or location is None:
            return plan
        lon, lat, system, address = location
        plan.data = {
            "category": category,
            "lon": lon,
            "lat": lat,
            "coordinate_system": system,
            "address": address,
            "description": description,
            "reported_at": row.get("reported_at"),
            "reporter_name": row.get("reporter_name") or "",
            "reporter_phone": row.get("reporter_phone") or "",
        }
        plan.changes = [
            FieldChange("category", LABELS["category"], "", str(category)),
            FieldChange("address", LABELS["address"], "", address),
            FieldChange("description", LABELS["description"], "", description[:80]),
        ]
        return plan

    def apply_row(self, plan):
        do_report_case(
            campaign=self.campaign,
            source=CaseSource.HOTLINE,
            hotline_ticket=plan.key,
            actor=self.actor,
            **plan.data,
        )


def hotline_template():
    """An empty sheet in the layout the import reads, with one example row."""
    return Sheet(
        title=SHEET,
        headers=[c.header for c in COLUMNS],
        rows=[
            (
                "QD20261201000123",
                "2026-12-01 09:15",
                "市容环境/暴露垃圾",
                "黄岛街道黄岛路12号北侧",
                120.1912,
                35.9601,
                "WGS84",
                "张先生",
                "13800000000",
            )
        ],
        caption=[
            _(
                "12345 tickets: one row per ticket; 经度/纬度 may be left empty when the address names the town or street."
            )
        ],
    )
