"""Reads of the indicators battle: the month's overview, an indicator's series and history.

Every read is scoped through ``org.access.restrict`` and takes a constant number of
queries, however many indicators a campaign carries.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max

from vanguard.indicators.actions import last_complete_month
from vanguard.indicators.choices import AreaLevel, GoodDirection
from vanguard.indicators.models import (
    QUARTER_END_MONTHS,
    Area,
    Indicator,
    Observation,
    cumulative_label,
)
from vanguard.org.access import restrict
from vanguard.org.choices import Battle
from vanguard.targets.choices import TargetKind
from vanguard.targets.models import Target, format_amount

# Areas in the order tables and charts show them.
AREA_ORDER = [AreaLevel.DISTRICT, AreaLevel.CITY, AreaLevel.PROVINCE]
MAIN_MEASURE = "indicators.main.growth"


def month_end(month):
    """The last day of the month that starts on ``month``."""
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def indicators_for(user, campaign):
    """The campaign's indicators the user may see, in the plan's order."""
    return restrict(
        Indicator.objects.filter(campaign=campaign).select_related("responsible_unit"), user
    ).order_by("sort_order", "code")


def areas_of(campaign, user=None):
    """The campaign's areas by level, district first."""
    qs = Area.objects.filter(campaign=campaign)
    if user is not None:
        qs = restrict(qs, user)
    areas = {a.level: a for a in qs}
    return {level: areas[level] for level in AREA_ORDER if level in areas}


def entry_months(indicator, today):
    """Months of the campaign year the indicator can have figures for by ``today``, newest first."""
    year = indicator.campaign.year
    last = min(last_complete_month(today), datetime.date(year, 12, 1))
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    return [m for m in reversed(months) if m <= last and indicator.published_in(m)]


def latest_month(campaign, today):
    """The newest month with a figure for the district, else the last complete month."""
    found = (
        Observation.objects.current()
        .filter(
            indicator__campaign=campaign,
            area__level=AreaLevel.DISTRICT,
            month__year=campaign.year,
        )
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    if found is not None:
        return found
    last = last_complete_month(today)
    return min(last, datetime.date(campaign.year, 12, 1))


def shown_month(indicator, month):
    """The month whose figures stand for ``month``: a quarterly indicator's latest quarter end."""
    if indicator.published_in(month):
        return month
    quarter_end = max((m for m in QUARTER_END_MONTHS if m <= month.month), default=None)
    return month.replace(month=quarter_end) if quarter_end else None


@dataclass
class TargetGap:
    """A target that applies to a month, and how far the district's growth is from it."""

    target: Target
    gap: Decimal | None
    # Which figure the gap is measured against: the target's value or a comparator's growth.
    against: str = ""

    @property
    def met(self):
        """True when on target; a relative target (增速高于) asks for more than level."""
        if self.gap is None:
            return None
        if self.target.kind == TargetKind.RELATIVE:
            return self.gap > 0
        return self.gap >= 0

    @property
    def gap_display(self):
        return signed(self.gap)


@dataclass
class IndicatorRow:
    """One line of the month's overview."""

    indicator: Indicator
    month: datetime.date | None
    figures: dict = field(default_factory=dict)
    differences: dict = field(default_factory=dict)
    targets: list = field(default_factory=list)
    # One cell per comparator area, in the table's order: its figure and the difference.
    comparator_cells: list = field(default_factory=list)

    @property
    def district(self):
        return self.figures.get(AreaLevel.DISTRICT)

    @property
    def months_label(self):
        return cumulative_label(self.month) if self.month else ""


def signed(value, unit=""):
    """A difference with its sign: +0.3, -1.2."""
    if value is None:
        return ""
    text = format_amount(abs(value))
    sign = "+" if value > 0 else "-" if value < 0 else ""
    return "{}{}{}".format(sign, text, unit)


def _ahead(indicator, difference):
    """The difference turned so that positive is good for the indicator."""
    if difference is None:
        return None
    return -difference if indicator.good_direction == GoodDirection.DOWN else difference


def applicable_targets(campaign, user, month, targets=None):
    """The indicators battle's growth and relative targets whose period holds ``month``.

    ``targets``, when given, are the campaign's targets ``user`` may see, already read
    (the cockpit's): they are chosen from, not read again.
    """
    kinds = [TargetKind.GROWTH, TargetKind.RELATIVE]
    if targets is None:
        targets = restrict(
            Target.objects.filter(
                campaign=campaign,
                battle=Battle.INDICATORS,
                kind__in=kinds,
                period_start__lte=month_end(month),
                period_end__gte=month,
            ),
            user,
        ).order_by("period_end", "sort_order")
    else:
        last = month_end(month)
        targets = sorted(
            (
                t
                for t in targets
                if t.battle == Battle.INDICATORS
                and t.kind in kinds
                and t.period_start <= last
                and t.period_end >= month
            ),
            key=lambda t: (t.period_end, t.sort_order),
        )
    by_measure = {}
    for target in targets:
        by_measure.setdefault(target.measure, []).append(target)
    return by_measure


def targets_of(indicator, by_measure):
    """The targets that concern an indicator: its own measure, and the main group if it is main."""
    found = list(by_measure.get(indicator.measure, []))
    if indicator.main:
        # An indicator's own target of the same kind and period says the same as the group's.
        own = {(t.kind, t.period) for t in found}
        found += [t for t in by_measure.get(MAIN_MEASURE, []) if (t.kind, t.period) not in own]
    return found


def target_gap(indicator, target, figures):
    """How far the district's growth is from a target (positive: ahead)."""
    district = figures.get(AreaLevel.DISTRICT)
    growth = district.growth_pct if district else None
    if growth is None:
        return TargetGap(target, None)
    if target.kind == TargetKind.GROWTH:
        return TargetGap(target, _ahead(indicator, growth - target.value), target.value_display)
    rivals = [
        (level, figures.get(level)) for level in target.comparators if level in AreaLevel.values
    ]
    if not rivals or any(o is None or o.growth_pct is None for _level, o in rivals):
        return TargetGap(target, None)
    # "Above the province and the city": the gap to the higher of the two decides.
    level, best = max(rivals, key=lambda pair: pair[1].growth_pct)
    return TargetGap(target, _ahead(indicator, growth - best.growth_pct), best.area.name)


def overview(campaign, user, month, areas=None, observations=None, targets=None):
    """Each indicator's figures for ``month`` (a quarterly one's latest quarter), with targets.

    ``observations``, when given, are the figures in force already read (with their
    areas), so that a document tabulates the very figures it judges elsewhere;
    ``targets``, the targets already read (``applicable_targets``).
    """
    areas = areas if areas is not None else areas_of(campaign, user)
    comparators = [area for level, area in areas.items() if level != AreaLevel.DISTRICT]
    indicators = list(indicators_for(user, campaign))
    months = {m for i in indicators if (m := shown_month(i, month))}
    if observations is not None:
        current = [o for o in observations if o.month in months]
    else:
        current = (
            restrict(Observation.objects.current(), user)
            .filter(indicator__campaign=campaign, month__in=months)
            .select_related("area")
        )
    figures = {}
    for observation in current:
        key = (observation.indicator_id, observation.month)
        figures.setdefault(key, {})[observation.area.level] = observation
    by_measure = applicable_targets(campaign, user, month, targets)
    rows = []
    for indicator in indicators:
        shown = shown_month(indicator, month)
        found = figures.get((indicator.pk, shown), {})
        for observation in found.values():
            observation.indicator = indicator
        row = IndicatorRow(indicator, shown, found)
        district = found.get(AreaLevel.DISTRICT)
        for area in comparators:
            other = found.get(area.level)
            difference = None
            if district and other and None not in (district.growth_pct, other.growth_pct):
                difference = _ahead(indicator, district.growth_pct - other.growth_pct)
                row.differences[area.level] = difference
            row.comparator_cells.append(
                {
                    "area": area,
                    "observation": other,
                    "difference": difference,
                    "difference_display": signed(difference),
                }
            )
        row.targets = [target_gap(indicator, t, found) for t in targets_of(indicator, by_measure)]
        rows.append(row)
    return rows


def newest_recorded(observations):
    """When the newest of ``observations`` was recorded: a page's as-of (数据截至), or None."""
    return max((o.recorded_at for o in observations if o is not None), default=None)


def figures_as_of(campaign, user):
    """When the newest figure in force of the campaign's year was recorded (for the forecast)."""
    return (
        restrict(Observation.objects.current(), user)
        .filter(indicator__campaign=campaign, month__year=campaign.year)
        .aggregate(last=Max("recorded_at"))["last"]
    )


def overview_as_of(rows):
    """The moment of the newest figure the overview's ``rows`` show."""
    return newest_recorded(o for row in rows for o in row.figures.values())


def series(indicator, user, areas):
    """Current cumulative growth by month for each area, and the growth targets, for a chart."""
    year = indicator.campaign.year
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    months = [m for m in months if indicator.published_in(m)]
    current = (
        restrict(Observation.objects.current(), user)
        .filter(indicator=indicator, month__year=year)
        .values_list("area__level", "month", "growth_pct")
    )
    values = {(level, m): g for level, m, g in current}
    measures = [indicator.measure] + ([MAIN_MEASURE] if indicator.main else [])
    targets = Target.objects.filter(
        campaign=indicator.campaign, kind=TargetKind.GROWTH, measure__in=measures
    )
    targets = list(restrict(targets, user).order_by("period_start"))

    def target_at(month):
        for target in targets:
            if target.period_start <= month <= target.period_end:
                return float(target.value)
        return None

    return {
        "labels": [cumulative_label(m) for m in months],
        "unit": "%",
        "series": [
            {
                "name": area.name,
                "level": level,
                "values": [
                    float(v) if (v := values.get((level, m))) is not None else None for m in months
                ],
            }
            for level, area in areas.items()
        ],
        "target": {
            "name": " / ".join(t.name for t in targets),
            "values": [target_at(m) for m in months],
        }
        if targets
        else None,
    }


def monthly_table(indicator, user, areas):
    """The figures in force, one line per month (newest first), each area's observation."""
    current = (
        restrict(Observation.objects.current(), user)
        .filter(indicator=indicator)
        .select_related("area", "recorded_by")
        .order_by("-month")
    )
    table = {}
    for observation in current:
        observation.indicator = indicator
        table.setdefault(observation.month, {})[observation.area.level] = observation
    return [
        {
            "month": month,
            "label": cumulative_label(month),
            "figures": [found.get(lv) for lv in areas],
        }
        for month, found in table.items()
    ]


def history(indicator, user):
    """Every version of every figure of an indicator, newest month first, revisions together."""
    rows = (
        restrict(Observation.objects.all(), user)
        .filter(indicator=indicator)
        .select_related("area", "recorded_by__person")
        .order_by("-month", "area__level", "-version")
    )
    order = {level: i for i, level in enumerate(AREA_ORDER)}
    rows = sorted(
        rows, key=lambda o: (-o.month.toordinal(), order.get(o.area.level, 9), -o.version)
    )
    for observation in rows:
        observation.indicator = indicator
    return rows
