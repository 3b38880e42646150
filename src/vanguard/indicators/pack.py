"""The monthly scheduling pack (月调度材料): a month's indicators as a Word document and a workbook.

One gathering of the facts (``gather``) feeds the page, the Word document and the
workbook, so the three say the same: each indicator against its targets and
comparators, the early warnings, the forecast and its gaps, the sectors and the key
enterprises behind the gap, and the problems still open outside the projects battle
(those raised on enterprise visits). Charts are drawn as images for the document
(``core.charts``).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.blockers.choices import BlockerState
from vanguard.blockers.models import Blocker
from vanguard.blockers.sources import attach_sources
from vanguard.core import charts
from vanguard.core.asof import as_of_line
from vanguard.core.money import format_wan, format_yuan
from vanguard.exchange import documents
from vanguard.exchange.xlsx import Sheet
from vanguard.indicators import problems_enterprises, queries
from vanguard.indicators.choices import AreaLevel
from vanguard.indicators.lights import warnings_on_figures
from vanguard.indicators.models import Observation, cumulative_label
from vanguard.indicators.models_enterprises import EnterpriseMonth, KeyEnterprise
from vanguard.indicators.outlook import outlook
from vanguard.indicators.queries_enterprises import sector_rows
from vanguard.org.access import restrict


@dataclass
class Pack:
    campaign: object
    month: datetime.date
    today: datetime.date
    areas: dict
    rows: list
    warnings: list
    outlook: object
    blockers: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    laggards: list = field(default_factory=list)
    # When the newest figure it shows was recorded (数据截至).
    data_at: datetime.datetime | None = None

    @property
    def title(self):
        return "{}重点经济指标月调度材料（{}年{}）".format(
            self.campaign.name.split("“")[0] if "“" in self.campaign.name else "",
            self.month.year,
            cumulative_label(self.month),
        )

    @property
    def month_label(self):
        return "{}年{}".format(self.month.year, cumulative_label(self.month))

    @property
    def as_of_text(self):
        """The as-of line of the document and the workbook (数据截至 …)."""
        return as_of_line(self.data_at)


class PackUnsettled(Exception):
    """Figures kept changing while the pack was gathered: it would mix two moments."""


# A pack gathered while an import commits is gathered again, this many times at most.
GATHER_ATTEMPTS = 3


def _stamp(campaign):
    """What changes whenever a figure the pack shows does: rows are added on each revision
    of an indicator's figure; an enterprise's figure and expectation count up their versions."""
    observations = Observation.objects.filter(indicator__campaign=campaign).aggregate(
        n=Count("pk"), last=Max("pk")
    )
    months = EnterpriseMonth.objects.filter(enterprise__campaign=campaign).aggregate(
        n=Count("pk"), versions=Sum("version")
    )
    enterprises = KeyEnterprise.objects.filter(campaign=campaign).aggregate(versions=Sum("version"))
    return (*observations.values(), *months.values(), *enterprises.values())


def gather(campaign, user, month, today=None):
    """Everything the pack says about ``month``, read through the user's access.

    All of it from one moment: the table and the warnings judge the same figures, and a
    pack whose figures changed while it was read is read again (``PackUnsettled`` when
    they never hold still).
    """
    for _attempt in range(GATHER_ATTEMPTS):
        before = _stamp(campaign)
        pack = _gather(campaign, user, month, today)
        if _stamp(campaign) == before:
            return pack
    raise PackUnsettled


def _gather(campaign, user, month, today=None):
    today = today or timezone.localdate()
    areas = queries.areas_of(campaign, user)
    # One read of the figures in force up to the month: the table shows them and the
    # warnings are judged on them, so the two cannot disagree.
    observations = list(
        restrict(Observation.objects.current(), user)
        .filter(
            indicator__campaign=campaign,
            month__gte=month.replace(month=1, day=1),
            month__lte=month,
        )
        .select_related("area")
    )
    rows = queries.overview(campaign, user, month, areas, observations=observations)
    indicators = [r.indicator for r in rows]
    blockers = attach_sources(
        restrict(Blocker.objects.all(), user)
        .filter(
            campaign=campaign, state=BlockerState.OPEN, source_kind=problems_enterprises.SOURCE.key
        )
        .select_related("unit")
        .order_by("raised_on", "pk")
    )
    for blocker in blockers:
        blocker.days_open = (today - blocker.raised_on).days
    figures_at = (
        restrict(EnterpriseMonth.objects.all(), user)
        .filter(enterprise__campaign=campaign)
        .aggregate(last=Max("recorded_at"))["last"]
    )
    return Pack(
        campaign=campaign,
        month=month,
        today=today,
        areas=areas,
        rows=rows,
        warnings=warnings_on_figures(campaign, indicators, observations, month, today),
        data_at=max(
            [at for at in (queries.newest_recorded(observations), figures_at) if at], default=None
        ),
        outlook=outlook(campaign, user, today),
        blockers=blockers,
        sectors=sector_rows(user, campaign),
        laggards=laggards(user, campaign),
    )


# How many key enterprises the pack names as furthest behind last year.
LAGGARDS = 10


def laggards(user, campaign, limit=LAGGARDS):
    """The key enterprises furthest behind last year's same months, worst first.

    One grouped query: this year's figures with a last-year figure beside them, less
    last year's, per enterprise; only those that fell.
    """
    fell = (
        restrict(EnterpriseMonth.objects.all(), user)
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


# --- the figures as plain rows, shared by the document and the workbook ------------------


def _growth(observation):
    if observation is None or observation.growth_pct is None:
        return None
    return float(observation.growth_pct)


def indicator_table(pack):
    """Headers and rows: each indicator's level, growth, comparators and target gaps."""
    comparators = [a for level, a in pack.areas.items() if level != AreaLevel.DISTRICT]
    headers = [_("Indicator"), _("Months"), _("Unit"), _("Cumulative level"), _("Growth (%)")]
    headers += [_("{area} growth (%)").format(area=a.name) for a in comparators]
    headers += [_("Targets and gaps")]
    rows = []
    for row in pack.rows:
        district = row.district
        line = [
            row.indicator.name,
            row.months_label,
            row.indicator.unit_of_measure,
            None if district is None or district.level is None else float(district.level),
            _growth(district),
        ]
        line += [_growth(row.figures.get(a.level)) for a in comparators]
        gaps = [
            "{}: {}".format(t.target.name, t.gap_display or "—") for t in row.targets if t.target
        ]
        line.append("；".join(gaps))
        rows.append(line)
    return headers, rows


def warning_table(pack):
    headers = [_("Indicator"), _("Light"), _("Warning")]
    rows = [[w.indicator.name, _light_word(w.light), w.text] for w in pack.warnings]
    return headers, rows


def forecast_table(pack):
    headers = [
        _("Indicator"),
        _("Latest growth (%)"),
        _("Quarter end (forecast, %)"),
        _("Year end (forecast, %)"),
        _("Target"),
        _("To beat (%)"),
        _("Gap (points)"),
        _("Still to add"),
        _("Odds (%)"),
        _("Key enterprises and projects"),
    ]
    rows = []
    for row in pack.outlook.indicators:
        if row.latest is None:
            continue
        base = [
            row.indicator.name,
            round(row.latest_growth, 1),
            round(row.quarter_end.growth, 1),
            round(row.year_end.growth, 1),
        ]
        support = support_text(row)
        if not row.targets:
            rows.append(base + ["", None, None, "", None, support])
        for t in row.targets:
            still = ""
            if t.gap_level is not None:
                still = (
                    "{:.1f} {}".format(t.gap_level, row.indicator.unit_of_measure)
                    if t.gap_level > 0
                    else _("none")
                )
            rows.append(
                base
                + [
                    t.target.name,
                    None if t.threshold is None else round(t.threshold, 1),
                    None if t.gap_points is None else round(t.gap_points, 1) + 0.0,
                    still,
                    t.probability_percent,
                    support,
                ]
            )
    return headers, rows


def support_text(row):
    """Key enterprises' expectation and the projects starting production, in words."""
    parts = []
    s = row.support
    if s.enterprises and s.expected_growth is not None:
        parts.append(
            _("{n} key enterprises expect {g}%").format(
                n=s.enterprises, g="{:.1f}".format(s.expected_growth)
            )
        )
    if s.projects:
        parts.append(
            _("{n} projects starting production: +{a} {unit}").format(
                n=s.projects,
                a="{:.1f}".format(s.year_end_increment),
                unit=row.indicator.unit_of_measure,
            )
        )
    return "；".join(parts)


def sector_table(pack):
    """Each sector (一业一策): its enterprises' year so far against last year and its guidance."""
    headers = [
        _("Sector"),
        _("Responsible unit"),
        _("Indicators it feeds"),
        _("Key enterprises"),
        _("Year so far"),
        _("Growth (%)"),
        _("Guidance (%)"),
        _("Gap (points)"),
        _("Open problems"),
    ]
    rows = []
    for row in pack.sectors:
        growth = row.totals.growth_pct
        gap = row.gap_to_guidance
        rows.append(
            [
                row.sector.name,
                row.sector.responsible_unit.name if row.sector.responsible_unit_id else "",
                "、".join(i.name for i in row.indicators),
                row.enterprises,
                format_yuan(row.totals.this_year_yuan),
                None if growth is None else round(float(growth), 1),
                None
                if row.sector.guidance_growth_pct is None
                else float(row.sector.guidance_growth_pct),
                None if gap is None else round(float(gap), 1),
                row.open_blockers,
            ]
        )
    return headers, rows


def laggard_table(pack):
    """The key enterprises furthest behind last year: who carries the shortfall."""
    headers = [
        _("Enterprise"),
        _("Sector"),
        _("Serving unit"),
        _("Year so far"),
        _("Same months last year"),
        _("Change on last year"),
        _("Growth (%)"),
    ]
    rows = [
        [
            r["enterprise"].name,
            r["enterprise"].sector.name,
            r["enterprise"].serving_unit.name,
            format_wan(r["now"]),
            format_wan(r["then"]),
            format_wan(r["change"]),
            None if r["growth"] is None else round(r["growth"], 1),
        ]
        for r in pack.laggards
    ]
    return headers, rows


def blocker_table(pack):
    headers = [_("Enterprise"), _("Problem"), _("Owner unit"), _("Raised on"), _("Days open")]
    rows = [
        [
            b.source_object.name if b.source_object else "",
            b.title,
            b.unit.name,
            b.raised_on,
            b.days_open,
        ]
        for b in pack.blockers
    ]
    return headers, rows


def _light_word(light):
    return {"red": _("Red"), "yellow": _("Yellow"), "green": _("Green")}.get(light, _("No data"))


# --- charts --------------------------------------------------------------------------------


def growth_chart(pack):
    """PNG: the month's cumulative growth of every indicator, district against comparators."""
    names = [r.indicator.name for r in pack.rows]
    series = [
        (area.name, level, [_growth(r.figures.get(level)) for r in pack.rows])
        for level, area in pack.areas.items()
    ]
    title = _("Cumulative growth, {months}").format(months=pack.month_label)
    return charts.grouped_bars(title, names, series)


def forecast_chart(pack):
    """PNG: each indicator's year-end forecast against the growth it must beat."""
    names, values, markers = [], [], []
    for row in pack.outlook.indicators:
        if row.year_end is None:
            continue
        year_targets = [t for t in row.targets if t.month == 12 and t.threshold is not None]
        names.append(row.indicator.name)
        values.append(row.year_end.growth)
        markers.append(year_targets[0].threshold if year_targets else None)
    if not names:
        return None
    return charts.bars_with_markers(
        _("Year-end growth: forecast against what it must beat"),
        names,
        values,
        markers,
        _("Forecast year-end growth"),
        _("Growth to beat"),
    )


# --- the Word document ---------------------------------------------------------------------


def docx_bytes(pack):
    """The pack as a Word document: headings, tables and charts, in the official order."""
    document = documents.new_document()
    documents.add_title(document, pack.title)
    documents.add_paragraph(
        document,
        _("{campaign} · generated on {day}").format(
            campaign=pack.campaign.name, day=pack.today.isoformat()
        ),
        centred=True,
    )
    documents.add_paragraph(document, pack.as_of_text, centred=True)

    documents.add_heading(document, _("1. The indicators against their targets and comparators"))
    documents.add_table(document, *indicator_table(pack))
    documents.add_picture(document, growth_chart(pack))

    documents.add_heading(document, _("2. Early warnings"))
    documents.add_table(document, *warning_table(pack), empty=_("No warning this month."))

    documents.add_heading(document, _("3. Forecast of the gap (stock and increment)"))
    documents.add_table(document, *forecast_table(pack), font_size=8)
    image = forecast_chart(pack)
    if image:
        documents.add_picture(document, image)
    documents.add_paragraph(
        document,
        _(
            "The forecast grows last year's remaining months at the recent pace; the odds "
            "take the spread of the method's past errors at the same number of months ahead."
        ),
    )

    documents.add_heading(document, _("4. Sectors and key enterprises (one plan per sector)"))
    documents.add_table(document, *sector_table(pack))
    headers, rows = laggard_table(pack)
    if rows:
        behind = _("Key enterprises furthest behind last year's same months:")
        documents.add_heading(document, behind.rstrip(":："), level=2)
        documents.add_table(document, headers, rows)

    documents.add_heading(document, _("5. Problems still open"))
    documents.add_table(document, *blocker_table(pack), empty=_("No open problem."))
    return documents.document_bytes(document)


# --- the workbook --------------------------------------------------------------------------


def xlsx_sheets(pack):
    """The pack as a workbook's sheets: one per part, the same rows as the document."""
    caption = [pack.title, pack.as_of_text]
    sheets = []
    for title, (headers, rows) in (
        (_("Indicators"), indicator_table(pack)),
        (_("Warnings"), warning_table(pack)),
        (_("Forecast"), forecast_table(pack)),
        (_("Sectors"), sector_table(pack)),
        (_("Enterprises behind"), laggard_table(pack)),
        (_("Open problems"), blocker_table(pack)),
    ):
        sheets.append(
            Sheet(
                title=title,
                headers=headers,
                rows=rows,
                caption=caption,
            )
        )
    return sheets
