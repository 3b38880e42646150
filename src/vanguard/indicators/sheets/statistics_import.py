"""The statistics bureau's monthly table, imported: a dry run, then one transaction.

Indicators are found by name (or another name the plan lists); areas by the header of
their growth column ("全市增速", "青岛市增速"). A blank cell, or a dash, leaves the
figure in force alone; a growth far from the indicator's usual ones (68 where 6.8 is
usual) is pointed out in the preview. How the table is laid out and which month a
sheet is for, ``table`` reads.

Every figure goes through ``do_submit_observation``; a row that changes a figure in
force revises the version the dry run showed, and if someone revised it after the dry
run, the apply is refused rather than overwriting their figure.
"""

import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import IMPORT_REASON
from vanguard.exchange.importing import Column, FieldChange, Importer, Problem, RowAction, RowPlan
from vanguard.exchange.parsers import join_list, text
from vanguard.exchange.reading import normalise_header
from vanguard.indicators.actions import (
    check_cumulative,
    check_figures,
    do_submit_observation,
    last_complete_month,
)
from vanguard.indicators.choices import AreaLevel, ObservationSource
from vanguard.indicators.models import Observation, cumulative_label
from vanguard.indicators.queries import areas_of, indicators_for
from vanguard.indicators.sheets.table import (
    AREA_GROWTH,
    COMPARATOR_HEADERS,
    GROWTH_HEADER,
    LEVEL_HEADER,
    indicator_key,
    level_aliases,
    month_of_sheet,
    parse_figure,
    parse_level,
)
from vanguard.org import access


@dataclass
class _Resolved:
    """What a row names: its indicator and month (None when it cannot be known)."""

    indicator: object = None
    month: object = None


class StatisticsTableImporter(Importer):
    """Imports the statistics bureau's monthly table of the campaign's indicators."""

    def __init__(self, *, actor, campaign, today=None, expected_versions=None):
        super().__init__(actor=actor)
        self.campaign = campaign
        self.today = today or timezone.localdate()
        self.areas = areas_of(campaign)
        self.indicators = list(indicators_for(actor, campaign))
        self.by_name = {}
        for indicator in self.indicators:
            for name in (indicator.name, indicator.code, *indicator.aliases):
                self.by_name.setdefault(indicator_key(name), indicator)
        self.sheet_months = {}
        # Versions in force the dry run planned against: {key: version (0: none)}.
        self.expected_versions = expected_versions
        self.versions = {}
        self._resolved = {}
        self._seen = {}

    # --- columns ------------------------------------------------------------------

    def get_columns(self):
        columns = [
            Column(
                "indicator",
                "指标",
                ("指标名称", "指标名", "主要指标", "indicator"),
                required=True,
                parser=text(100),
            ),
            Column("unit", "计量单位", ("单位", "unit"), parser=text(16)),
            Column("level", LEVEL_HEADER, level_aliases(), parser=parse_level),
            Column(
                "growth",
                GROWTH_HEADER,
                self._district_growth_names(),
                parser=parse_figure,
            ),  # fmt: skip
        ]
        for level, area in self.areas.items():
            if level == AreaLevel.DISTRICT:
                continue
            short = COMPARATOR_HEADERS.get(level, "{}增速(%)".format(area.name))
            base = short.split("(")[0]
            names = {base, base[:2] + "增长", base[:2] + "同比增长", base[:2]}
            names |= {area.name + "增速", area.name + "增长", area.name + "同比增长"}
            columns.append(
                Column(
                    "growth_" + level, short, tuple(sorted(names - {short})), parser=parse_figure
                )
            )
        return columns

    def _district_growth_names(self):
        names = ["同比增长", "同比增速", "增长", "增速", "比上年同期增长", "同比增减", "同比±"]
        names += ["增幅", "本区增速", "全区增速", "全区增长", "growth"]
        district = self.areas.get(AreaLevel.DISTRICT)
        if district:
            names += [district.name + "增速", district.name + "增长", district.name + "同比增长"]
        return tuple(names)

    # --- sheet and access ---------------------------------------------------------

    def check(self):
        if not access.may_import_figures(self.actor, self.indicators):
            return [
                Problem(
                    _(
                        "You may enter the figures of no indicator: only reporters of an"
                        " indicator's responsible unit, the indicators task force and the"
                        " headquarters office import the statistics table."
                    )
                )
            ]
        return []

    def begin_sheet(self, info):
        problems = []
        for header in info.ignored_headers:
            match = AREA_GROWTH.match(normalise_header(header))
            if match:
                problems.append(
                    Problem(
                        _(
                            "Column “{header}” names an unknown comparator area “{area}”; the"
                            " areas known are {known}: remove the column."
                        ).format(
                            header=header,
                            area=match.group(1),
                            known=join_list(a.name for a in self.areas.values()),
                        ),
                        sheet=info.title,
                        row=info.header_row,
                    )
                )
        found = {column.key for column, _note, _header in info.columns.values()}
        if not found & ({"level", "growth"} | {"growth_" + lv for lv in self.areas}):
            problems.append(
                Problem(
                    _(
                        "The header has no figure columns such as 1-N月累计, 同比增长(%) or"
                        " 全市增速(%)."
                    ),
                    sheet=info.title,
                    row=info.header_row,
                )
            )
        month, problem = month_of_sheet(info, self.campaign.year)
        if problem:
            problems.append(problem)
        elif month > last_complete_month(self.today):
            problems.append(
                Problem(
                    _("{year}-{month:02d} is not over yet; its figures cannot be imported.").format(
                        year=month.year, month=month.month
                    ),
                    sheet=info.title,
                    row=info.header_row,
                )
            )
        else:
            self.sheet_months[info.title] = month
        return problems

    # --- planning -----------------------------------------------------------------

    def prepare(self, rows):
        """Resolve every row's indicator and month; load the figures in force in one query."""
        for row in rows:
            name = row.get("indicator")
            indicator = self.by_name.get(indicator_key(name)) if name else None
            self._resolved[(row.sheet, row.number)] = _Resolved(
                indicator, self.sheet_months.get(row.sheet)
            )
        current = Observation.objects.current().filter(indicator__campaign=self.campaign)
        self.current = {
            (o.indicator_id, o.area_id, o.month): o
            for o in current.select_related("area", "recorded_by")
        }
        # The district's cumulative levels as they will stand after the import, so that
        # the months of one upload are checked against each other, not the old figures.
        district = self.areas.get(AreaLevel.DISTRICT)
        self.levels = {
            (key[0], key[2]): o.level
            for key, o in self.current.items()
            if district and key[1] == district.pk and o.level is not None
        }
        for row in rows:
            resolved = self._resolved[(row.sheet, row.number)]
            level = row.get("level")
            if resolved.indicator and resolved.month and level is not None:
                self.levels[(resolved.indicator.pk, resolved.month)] = level

    def plan_row(self, row):
        resolved = self._resolved[(row.sheet, row.number)]
        indicator, month = resolved.indicator, resolved.month
        name = row.get("indicator", "")
        plan = RowPlan(row.sheet, row.number, name, RowAction.UNCHANGED)
        if month is None:
            # The sheet's problem says why; its rows are not planned.
            plan.action = RowAction.SKIP
            return plan
        plan.key = "{} · {}".format(name, cumulative_label(month))
        if not self._has_figures(row):
            # A section heading ("一、工业") or a figure not yet published.
            plan.action = RowAction.SKIP
            plan.notes.append(_("No figures in this row; nothing changes."))
            return plan
        if indicator is None:
            row.problem(
                "indicator",
                _("Unknown indicator “{name}”; the catalogue lists {known}.").format(
                    name=name, known=join_list(i.name for i in self.indicators)
                ),
            )
            return plan
        seen = self._seen.setdefault((indicator.pk, month), row)
        if seen is not row:
            row.problem(
                "indicator",
                _("{name} for {month} already appears in sheet “{sheet}”, row {row}.").format(
                    name=indicator.name,
                    month=cumulative_label(month),
                    sheet=seen.sheet,
                    row=seen.number,
                ),
            )
            return plan
        if not access.may_enter_figures(self.actor, indicator):
            row.problem(
                "indicator",
                _("You may not enter {name}: its responsible unit is {unit}.").format(
                    name=indicator.name, unit=indicator.responsible_unit_name
                ),
            )
            return plan
        self._check_unit(row, indicator)
        writes = self._writes(row, indicator)
        if not writes:
            plan.action = RowAction.SKIP
            plan.notes.append(_("No figures in this row; nothing changes."))
            return plan
        errors = {}
        for area, level, growth in writes:
            found = check_figures(indicator, area, month, level, growth, today=self.today)
            if area.is_home and not found:
                found = check_cumulative(
                    indicator, month, level, *self._neighbours(indicator, month)
                )
            for field, messages in found.items():
                column = self._column_of(field, area)
                for message in messages:
                    errors.setdefault((column, message), None)
        for column, message in errors:
            row.problems.append(row.problem_at(column, message))
        if row.problems:
            return plan
        for area, _level, growth in writes:
            warning = self._unusual_growth(indicator, area, month, growth)
            if warning:
                plan.notes.append(warning)
        return self._plan_writes(plan, row, indicator, month, writes)

    def _unusual_growth(self, indicator, area, month, growth):
        """A warning when a growth rate is far from the indicator's usual ones, else "".

        A decimal point lost (68 for 6.8) or a percent cell typed as a fraction (0.08 for
        8%) passes every range check; the indicator's other months tell.
        """
        if growth is None:
            return ""
        usual = [
            abs(o.growth_pct)
            for (pk, area_id, other), o in self.current.items()
            if pk == indicator.pk
            and area_id == area.pk
            and other != month
            and o.growth_pct is not None
            and abs(o.growth_pct) >= Decimal("0.5")
        ]
        size = abs(growth)
        typical = statistics.median(usual) if usual else None
        far_above = size >= 20 and (size >= 5 * typical if typical else size > 50)
        far_below = 0 < size < 1 and (size * 5 <= typical if typical else size < Decimal("0.2"))
        if not (far_above or far_below):
            return ""
        if typical:
            usual_text = _("its other months are around {typical}%").format(
                typical=_amount(typical.quantize(Decimal("0.1")))
            )
        else:
            usual_text = _("growth rates are rarely like this")
        hint = (
            _("was a decimal point lost?")
            if far_above
            else _(
                "was {percent}% typed as {growth} in a cell not formatted as a percentage?"
            ).format(percent=_amount(growth * 100), growth=_amount(growth))
        )
        return _("{area}: a growth of {growth}% is unusual for {name} ({usual}): {hint}").format(
            area=area.name, growth=_amount(growth), name=indicator.name, usual=usual_text, hint=hint
        )

    def _has_figures(self, row):
        keys = ["level", "growth"] + ["growth_" + lv for lv in self.areas]
        return any(row.get(key) is not None for key in keys)

    def _check_unit(self, row, indicator):
        unit = (row.get("unit") or "").strip()
        if not unit:
            return
        if indicator.has_level and unit in ("%", "％", "百分比"):
            row.problem(
                "unit",
                _(
                    "{name} is measured in {expected}, but the unit column says “{unit}”: was a"
                    " growth rate entered as the level?"
                ).format(name=indicator.name, expected=indicator.unit_of_measure, unit=unit),
            )
        elif indicator.has_level and unit != indicator.unit_of_measure:
            row.problem(
                "unit",
                _("{name} is measured in {expected}, not “{unit}”.").format(
                    name=indicator.name, expected=indicator.unit_of_measure, unit=unit
                ),
            )

    def _writes(self, row, indicator):
        """(area, level, growth) for each area the row has a figure for; blanks keep the old."""
        writes = []
        district = self.areas.get(AreaLevel.DISTRICT)
        level, growth = row.get("level"), row.get("growth")
        if district and (level is not None or growth is not None):
            writes.append((district, level, growth))
        for area_level, area in self.areas.items():
            if area_level == AreaLevel.DISTRICT:
                continue
            growth = row.get("growth_" + area_level)
            if growth is not None:
                writes.append((area, None, growth))
        return writes

    def _neighbours(self, indicator, month):
        same_year = [
            (m, level)
            for (pk, m), level in self.levels.items()
            if pk == indicator.pk and m.year == month.year and level is not None
        ]
        earlier = max((p for p in same_year if p[0] < month), default=None)
        later = min((p for p in same_year if p[0] > month), default=None)
        return earlier, later

    def _column_of(self, field, area):
        if field == "level":
            return "level"
        if field == "growth_pct":
            return "growth" if area.is_home else "growth_" + area.level
        return "indicator"

    def version_key(self, indicator, area, month):
        return "{}|{}|{}".format(indicator.code, area.level, month.strftime("%Y-%m"))

    def _plan_writes(self, plan, row, indicator, month, writes):
        changes, planned = [], []
        any_current = False
        for area, level, growth in writes:
            current = self.current.get((indicator.pk, area.pk, month))
            any_current = any_current or current is not None
            version = current.version if current else 0
            key = self.version_key(indicator, area, month)
            self.versions[key] = version
            expected = (self.expected_versions or {}).get(key, version)
            if expected != version:
                who = current.recorded_by.get_username() if current.recorded_by else "system"
                row.problem(
                    "indicator",
                    _(
                        "The figure of {area} was revised to version {version} by {who} after"
                        " the preview; upload the sheet again to check it."
                    ).format(area=area.name, who=who, version=version),
                )
                continue
            # A blank cell keeps the figure in force.
            if current is not None:
                level = current.level if level is None else level
                growth = current.growth_pct if growth is None else growth
            before = (current.level, current.growth_pct) if current else (None, None)
            if before == (level, growth):
                continue
            planned.append((area, level, growth, version or None))
            prefix = area.name
            if indicator.has_level and area.is_home:
                changes.append(
                    FieldChange(
                        "level",
                        "{} {}".format(prefix, _("Cumulative level")),
                        _amount(before[0]),
                        _amount(level),
                    )
                )
            changes.append(
                FieldChange(
                    "growth_pct",
                    "{} {}".format(prefix, _("Growth (%)")),
                    _amount(before[1]),
                    _amount(growth),
                )
            )
        if row.problems:
            return plan
        plan.changes = [c for c in changes if c.before != c.after]
        plan.data = {"indicator": indicator, "month": month, "writes": planned}
        if planned:
            plan.action = RowAction.UPDATE if any_current else RowAction.CREATE
        return plan

    def apply_row(self, plan):
        indicator, month = plan.data["indicator"], plan.data["month"]
        for area, level, growth, revises in plan.data["writes"]:
            do_submit_observation(
                indicator,
                area,
                month,
                actor=self.actor,
                level=level,
                growth_pct=growth,
                revises=revises,
                reason=IMPORT_REASON if revises else "",
                source=ObservationSource.IMPORT,
                today=self.today,
                # The dry run checked the upload's levels against each other and the
                # figures in force, inside this same transaction.
                check_neighbours=False,
            )

    def field_column(self, field_name):
        return {"level": "level", "growth_pct": "growth", "month": "indicator"}.get(
            field_name, "indicator"
        )


def _amount(value):
    from vanguard.targets.models import format_amount

    return format_amount(value) if value is not None else ""


def encode_versions(versions):
    """The dry run's versions as text for a hidden field: code|area|month=version;..."""
    return ";".join("{}={}".format(k, v) for k, v in sorted(versions.items()))


def decode_versions(text_value):
    """The inverse of ``encode_versions``; unreadable parts are ignored."""
    versions = {}
    for part in (text_value or "").split(";"):
        key, _sep, value = part.partition("=")
        if key and value.isdigit():
            versions[key] = int(value)
    return versions
