"""Reads of sectors, key enterprises and their problems, scoped through ``org.access``.

Totals are summed in SQL; lists are paginated first and then fetch their page's
figures and problems in one query each, so a city's ten thousand enterprises cost no
more than a district's hundred. A problem (blocker) of an enterprise is seen by whoever
sees the enterprise and by the unit that owns it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Subquery, Sum

from vanguard.blockers import queries as problems
from vanguard.blockers.choices import BlockerState
from vanguard.blockers.models import Blocker
from vanguard.blockers.queries import blockers_for, days_open
from vanguard.core.money import UNITS, format_wan, format_yuan, wan_number
from vanguard.enterprises import problems as problems_source
from vanguard.enterprises.models import EnterpriseMonth, KeyEnterprise, Sector, Visit
from vanguard.indicators.models import Indicator
from vanguard.indicators.outlook import Support
from vanguard.org.access import access_for, restrict

TENTH = Decimal("0.1")


def growth_pct(current, previous):
    """Growth in percent of ``current`` over ``previous`` (one decimal), None without a base."""
    if not previous or current is None:
        return None
    return (Decimal(current) / Decimal(previous) * 100 - 100).quantize(TENTH, ROUND_HALF_UP)


def signed_pct(value):
    """+5.2% / -1.3% / +13.0%: one decimal always, so a column of rates lines up; "" for None."""
    if value is None:
        return ""
    rounded = round(float(value), 1)
    return "{}{:.1f}%".format("+" if rounded >= 0 else "-", abs(rounded))


def sectors_for(user, campaign):
    """The campaign's sectors (everyone taking part sees them), in the plan's order."""
    return restrict(
        Sector.objects.filter(campaign=campaign).select_related("responsible_unit", "indicator"),
        user,
    ).order_by("sort_order", "name")


def sectors_feeding(indicator, user=None):
    """The sectors (一业一策) behind ``indicator``, to drill down to their key enterprises
    (campaign-wide, like the indicator): for the indicator's page."""
    return {
        "sectors": list(Sector.objects.filter(indicator=indicator).order_by("sort_order", "name"))
    }


def enterprises_for(user, campaign):
    """The key enterprises ``user`` may see: all for the task forces, office and leaders."""
    return restrict(
        KeyEnterprise.objects.filter(campaign=campaign).select_related("sector", "serving_unit"),
        user,
    )


def sees_every_enterprise(user):
    """True when ``user`` sees every unit's enterprises (totals cover the whole sector)."""
    return access_for(user).sees_all_units


def figures_as_of(campaign, user):
    """When the newest key-enterprise figure the user sees was recorded (数据截至)."""
    return (
        restrict(EnterpriseMonth.objects.current(), user)
        .filter(enterprise__campaign=campaign)
        .aggregate(last=Max("recorded_at"))["last"]
    )


def enterprise_as_of(enterprise):
    """When the enterprise's newest figure was recorded (its page's 数据截至)."""
    return (
        EnterpriseMonth.objects.current()
        .filter(enterprise=enterprise)
        .aggregate(last=Max("recorded_at"))["last"]
    )


def enterprise_blockers(user, campaign):
    """Blockers raised about key enterprises that ``user`` sees (the one pool's access rule)."""
    return blockers_for(user, campaign).filter(source_kind=problems_source.SOURCE.key)


@dataclass
class Totals:
    """Sums of monthly figures: this year, the part with a figure for last year, last year."""

    this_year_yuan: int = 0
    comparable_yuan: int = 0
    last_year_yuan: int = 0
    latest_month: datetime.date | None = None

    @property
    def growth_pct(self):
        return growth_pct(self.comparable_yuan, self.last_year_yuan)

    @property
    def growth_display(self):
        return signed_pct(self.growth_pct)

    @property
    def this_year_display(self):
        return format_yuan(self.this_year_yuan) if self.latest_month else ""

    @property
    def this_year_wan_display(self):
        return format_wan(self.this_year_yuan) if self.latest_month else ""

    @property
    def last_year_display(self):
        return format_yuan(self.last_year_yuan) if self.last_year_yuan else ""


def _totals(row):
    return Totals(row["total"] or 0, row["comparable"] or 0, row["last"] or 0, row.get("latest"))


TOTALS = {
    "total": Sum("value_yuan"),
    "comparable": Sum("value_yuan", filter=Q(last_year_yuan__isnull=False)),
    "last": Sum("last_year_yuan"),
    "latest": Max("month"),
}


@dataclass
class SectorRow:
    """One sector on the sectors page."""

    sector: Sector
    enterprises: int = 0
    totals: Totals = field(default_factory=Totals)
    open_blockers: int = 0
    oldest_raised_on: datetime.date | None = None
    indicators: list = field(default_factory=list)

    @property
    def gap_to_guidance(self):
        """Points above (positive) or below the sector's guidance target."""
        target, growth = self.sector.guidance_growth_pct, self.totals.growth_pct
        if target is None or growth is None:
            return None
        return growth - target


def sector_rows(user, campaign):
    """Each sector with its enterprises' output this year against last year and open problems."""
    sectors = list(sectors_for(user, campaign))
    enterprises = enterprises_for(user, campaign).order_by()
    counts = dict(enterprises.values_list("sector_id").annotate(n=Count("pk")))
    months = (
        restrict(EnterpriseMonth.objects.current(), user)
        .filter(enterprise__campaign=campaign, month__year=campaign.year)
        .values("enterprise__sector_id")
        .annotate(**TOTALS)
        .order_by()
    )
    totals = {row["enterprise__sector_id"]: _totals(row) for row in months}
    sector_of = KeyEnterprise.objects.filter(pk=OuterRef("source_id")).values("sector_id")[:1]
    problems = {
        row["sector"]: row
        for row in enterprise_blockers(user, campaign)
        .filter(state=BlockerState.OPEN)
        .annotate(sector=Subquery(sector_of))
        .values("sector")
        .annotate(n=Count("pk"), oldest=Min("raised_on"))
        .order_by()
    }
    names = {s.name for s in sectors}
    by_name = {}
    for indicator in Indicator.objects.filter(campaign=campaign, sector__in=names):
        by_name.setdefault(indicator.sector, []).append(indicator)
    rows = []
    for sector in sectors:
        found = problems.get(sector.pk, {})
        fed = list(by_name.get(sector.name, []))
        if sector.indicator is not None and sector.indicator not in fed:
            fed.insert(0, sector.indicator)
        rows.append(
            SectorRow(
                sector,
                enterprises=counts.get(sector.pk, 0),
                totals=totals.get(sector.pk, Totals()),
                open_blockers=found.get("n", 0),
                oldest_raised_on=found.get("oldest"),
                indicators=fed,
            )
        )
    return rows


# --- key enterprises --------------------------------------------------------------------------

FILTERS = ("sector", "unit", "open", "q")


def filtered_enterprises(user, campaign, filters):
    """The enterprises the user sees, narrowed by sector (id), serving unit (code), open problems
    and a search on name or credit code."""
    qs = enterprises_for(user, campaign)
    if filters.get("sector", "").isdigit():
        qs = qs.filter(sector_id=int(filters["sector"]))
    if filters.get("unit"):
        qs = qs.filter(serving_unit__code=filters["unit"])
    if filters.get("q"):
        term = filters["q"].strip()
        qs = qs.filter(Q(name__icontains=term) | Q(credit_code__icontains=term.upper()))
    if filters.get("open"):
        qs = qs.filter(
            Exists(
                Blocker.objects.filter(
                    source_kind=problems_source.SOURCE.key,
                    source_id=OuterRef("pk"),
                    state=BlockerState.OPEN,
                )
            )
        )
    return qs.order_by("sector__sort_order", "name", "pk")


def serving_unit_choices(user, campaign):
    """(code, name) of the units that serve the enterprises the user sees."""
    return list(
        enterprises_for(user, campaign)
        .order_by("serving_unit__name")
        .values_list("serving_unit__code", "serving_unit__name")
        .distinct()
    )


@dataclass
class EnterpriseRow:
    """One enterprise in the list: its latest month, the year so far, its open problems."""

    enterprise: KeyEnterprise
    latest: EnterpriseMonth | None = None
    totals: Totals = field(default_factory=Totals)
    open_blockers: int = 0
    oldest_days_open: int | None = None

    @property
    def latest_growth_pct(self):
        latest = self.latest
        return growth_pct(latest.value_yuan, latest.last_year_yuan) if latest else None

    @property
    def latest_growth_display(self):
        return signed_pct(self.latest_growth_pct)


def enterprise_rows(user, campaign, enterprises, today):
    """Rows for a page of ``enterprises``: two queries however many there are."""
    enterprises = list(enterprises)
    ids = [e.pk for e in enterprises]
    latest, totals = {}, {}
    figures = (
        EnterpriseMonth.objects.current()
        .filter(enterprise_id__in=ids, month__year=campaign.year)
        .order_by("enterprise_id", "month")
    )
    for figure in figures:
        latest[figure.enterprise_id] = figure
        total = totals.setdefault(figure.enterprise_id, Totals())
        total.this_year_yuan += figure.value_yuan
        total.latest_month = figure.month
        if figure.last_year_yuan is not None:
            total.comparable_yuan += figure.value_yuan
            total.last_year_yuan += figure.last_year_yuan
    problems = {
        row["source_id"]: row
        for row in enterprise_blockers(user, campaign)
        .filter(source_id__in=ids, state=BlockerState.OPEN)
        .values("source_id")
        .annotate(n=Count("pk"), oldest=Min("raised_on"))
        .order_by()
    }
    rows = []
    for enterprise in enterprises:
        found = problems.get(enterprise.pk, {})
        oldest = found.get("oldest")
        rows.append(
            EnterpriseRow(
                enterprise,
                latest=latest.get(enterprise.pk),
                totals=totals.get(enterprise.pk, Totals()),
                open_blockers=found.get("n", 0),
                oldest_days_open=(today - oldest).days if oldest else None,
            )
        )
    return rows


def year_months(year):
    return [datetime.date(year, m, 1) for m in range(1, 13)]


def _wan(yuan):
    """Yuan as 万元 with two decimals, for the chart and the export."""
    return wan_number(yuan, 2)


def enterprise_figures(enterprise):
    """The enterprise's figures of the campaign year by month, and the chart's series (万元)."""
    year = enterprise.campaign.year
    found = {
        f.month: f
        for f in EnterpriseMonth.objects.current()
        .filter(enterprise=enterprise, month__year=year)
        .select_related("recorded_by__person")
        .order_by("month")
    }
    months = year_months(year)
    last = max(found, default=None)
    shown = [m for m in months if last and m <= last]
    table, running = [], Totals()
    for month in shown:
        figure = found.get(month)
        if figure is not None:
            running.this_year_yuan += figure.value_yuan
            running.latest_month = month
            if figure.last_year_yuan is not None:
                running.comparable_yuan += figure.value_yuan
                running.last_year_yuan += figure.last_year_yuan
        table.append(
            {
                "month": month,
                "figure": figure,
                "growth": signed_pct(
                    growth_pct(figure.value_yuan, figure.last_year_yuan) if figure else None
                ),
                "cumulative": format_yuan(running.this_year_yuan) if figure else "",
                "cumulative_growth": running.growth_display if figure else "",
            }
        )
    chart = {
        "labels": ["{}月".format(m.month) for m in months],
        "unit": "万元",
        "this_year": {
            "name": "{}年".format(year),
            "values": [_wan(found[m].value_yuan) if m in found else None for m in months],
        },
        "last_year": {
            "name": "{}年".format(year - 1),
            "values": [_wan(found[m].last_year_yuan) if m in found else None for m in months],
        },
    }
    return list(reversed(table)), running, chart


def enterprise_problems(user, enterprise, today):
    """The enterprise's blockers, open ones first (oldest first), each with its days open."""
    blockers = list(
        enterprise_blockers(user, enterprise.campaign)
        .about(enterprise)
        .select_related("unit")
        .order_by("state", "raised_on", "pk")
    )
    visits = Visit.objects.in_bulk({b.occasion_id for b in blockers if b.occasion_id})
    for blocker in blockers:
        blocker.source_object = enterprise
        blocker.occasion = visits.get(blocker.occasion_id)
        blocker.days_open = days_open(blocker, today)
    return blockers


def enterprise_visits(user, enterprise, problems):
    """The enterprise's visits, newest first, each with the ``problems`` it raised."""
    by_visit = {}
    for blocker in problems:
        by_visit.setdefault(blocker.occasion_id, []).append(blocker)
    visits = list(
        restrict(Visit.objects.filter(enterprise=enterprise), user)
        .select_related("recorded_by__person")
        .order_by("-visited_on", "-pk")
    )
    for visit in visits:
        visit.raised = by_visit.get(visit.pk, [])
    return visits


def with_problems(visits, enterprise):
    """``visits`` of ``enterprise`` as a list, each with the problems it raised (``problems``),
    in one query."""
    visits = list(visits)
    raised = {}
    for blocker in (
        Blocker.objects.about(enterprise)
        .filter(occasion_id__in=[v.pk for v in visits])
        .select_related("unit")
        .order_by("pk")
    ):
        raised.setdefault(blocker.occasion_id, []).append(blocker)
    for visit in visits:
        visit.problems = raised.get(visit.pk, [])
        for blocker in visit.problems:
            blocker.source_object, blocker.occasion = enterprise, visit
    return visits


def open_problems(user, campaign, filters, today):
    """Every open blocker raised about a key enterprise, oldest first (a queryset to page)."""
    return problems.open_problems(user, campaign, {**filters, "source": problems_source.SOURCE.key})


# How many key enterprises the monthly pack names as furthest behind last year.
LAGGARDS = 10


def laggards(user, campaign, limit=LAGGARDS):
    """The key enterprises furthest behind last year's same months, worst first.

    One grouped query: this year's figures with a last-year figure beside them, less
    last year's, per enterprise; only those that fell.
    """
    fell = (
        restrict(EnterpriseMonth.objects.current(), user)
        .filter(
            enterprise__campaign=campaign,
            month__year=campaign.year,
            last_year_yuan__isnull=False,
        )
        .values("enterprise_id")
        .annotate(now=Sum("value_yuan"), then=Sum("last_year_yuan"))
        .annotate(change=F("now") - F("then"))
        .filter(change__lt=0)
        .order_by("change")[:limit]
    )
    rows = list(fell)
    enterprises = KeyEnterprise.objects.select_related("sector", "serving_unit").in_bulk(
        [r["enterprise_id"] for r in rows]
    )
    for row in rows:
        row["enterprise"] = enterprises[row["enterprise_id"]]
        row["growth"] = (row["now"] / row["then"] - 1) * 100 if row["then"] else None
    return rows


def enterprise_support(campaign, user, indicators, latest_by_indicator, base_by_indicator):
    """``{indicator id: Support}`` from key enterprises' figures and expectations.

    An enterprise feeds the indicator its sector names. Its expectation for the rest of
    the year is compared with last year's rest, estimated from last year's months to
    date; its weight is its share of last year's level to date (levels only).
    """
    supports = {}
    wanted = {i.pk: i for i in indicators if latest_by_indicator.get(i.pk)}
    if not wanted:
        return supports
    rows = (
        restrict(KeyEnterprise.objects.filter(campaign=campaign), user)
        .filter(sector__indicator__in=list(wanted), expectation_yuan__isnull=False)
        .values_list("pk", "sector__indicator_id", "expectation_yuan")
    )
    expectations = {pk: (indicator_id, value) for pk, indicator_id, value in rows}
    if not expectations:
        return supports
    before = {}
    for pk, month, value in (
        EnterpriseMonth.objects.current()
        .filter(
            enterprise__in=list(expectations),
            month__year=campaign.year,
            last_year_yuan__isnull=False,
        )
        .values_list("enterprise_id", "month", "last_year_yuan")
    ):
        indicator_id = expectations[pk][0]
        if month.month <= latest_by_indicator[indicator_id]:
            before[pk] = before.get(pk, 0) + value
    totals = {}
    for pk, (indicator_id, expected) in expectations.items():
        if not before.get(pk):
            continue
        latest = latest_by_indicator[indicator_id]
        entry = totals.setdefault(indicator_id, [0, 0.0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += float(expected)
        entry[2] += float(before[pk]) * (12 - latest) / latest  # last year's rest, estimated
        entry[3] += float(before[pk])
    for indicator_id, (count, expected, rest, before) in totals.items():
        indicator = wanted[indicator_id]
        support = Support(enterprises=count)
        if rest > 0:
            support.expected_growth = (expected / rest - 1) * 100
        scale = UNITS.get(indicator.unit_of_measure)
        base = base_by_indicator.get(indicator_id)
        if scale and base:
            support.share = min(1.0, before / scale / base)
        supports[indicator_id] = support
    return supports


def enterprise_sheet_rows(user, campaign, filters, today):
    """The key enterprises as the export writes them: one row each, a column per month (万元).

    Three queries: the enterprises, their figures of the year, their open problems.
    """
    enterprises = list(filtered_enterprises(user, campaign, filters))
    months = year_months(campaign.year)
    values = {}
    totals = {}
    figures = (
        EnterpriseMonth.objects.current()
        .filter(
            enterprise__in=filtered_enterprises(user, campaign, filters).order_by(),
            month__year=campaign.year,
        )
        .values_list("enterprise_id", "month", "value_yuan", "last_year_yuan")
    )
    for enterprise_id, month, value, last in figures.iterator(chunk_size=5000):
        values[(enterprise_id, month)] = value
        total = totals.setdefault(enterprise_id, Totals())
        total.this_year_yuan += value
        total.latest_month = max(total.latest_month or month, month)
        if last is not None:
            total.comparable_yuan += value
            total.last_year_yuan += last
    last = max((t.latest_month for t in totals.values()), default=None)
    shown = [m for m in months if last and m <= last]
    problems = {
        row["source_id"]: row
        for row in enterprise_blockers(user, campaign)
        .filter(
            state=BlockerState.OPEN,
            source_id__in=filtered_enterprises(user, campaign, filters).order_by().values("pk"),
        )
        .values("source_id")
        .annotate(n=Count("pk"), oldest=Min("raised_on"))
        .order_by()
    }
    rows = []
    for e in enterprises:
        total = totals.get(e.pk, Totals())
        found = problems.get(e.pk, {})
        oldest = found.get("oldest")
        rows.append(
            [
                e.name,
                e.credit_code,
                e.sector.name,
                e.serving_unit.name,
                *[_wan(values.get((e.pk, m))) for m in shown],
                _wan(total.this_year_yuan) if total.latest_month else None,
                _wan(total.last_year_yuan) if total.last_year_yuan else None,
                float(total.growth_pct) if total.growth_pct is not None else None,
                _wan(e.expectation_yuan),
                e.expectation_on,
                found.get("n", 0),
                (today - oldest).days if oldest else None,
            ]
        )
    return shown, rows
