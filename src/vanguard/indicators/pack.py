"""The monthly scheduling pack (月调度材料): a month's indicators as a Word document and a workbook.

One gathering of the facts (``gather``) feeds the page, the Word document and the
workbook, so the three say the same: each indicator against its targets and
comparators, the early warnings, the forecast and its gaps, the parts other apps add
(the sectors and the key enterprises behind the gap, registered by the enterprises
app as a ``PackPart``), and the problems still open outside the projects battle (those
raised on enterprise visits). Charts are drawn as images for the document
(``core.charts``).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.blockers.choices import BlockerState
from vanguard.blockers.models import Blocker
from vanguard.blockers.sources import SOURCES, attach_sources
from vanguard.core import charts
from vanguard.core.asof import as_of_line
from vanguard.exchange import documents
from vanguard.exchange.xlsx import Sheet
from vanguard.indicators import queries
from vanguard.indicators.choices import AreaLevel
from vanguard.indicators.lights import warnings_on_figures
from vanguard.indicators.models import Observation, cumulative_label
from vanguard.indicators.outlook import outlook
from vanguard.org.access import restrict
from vanguard.org.choices import Battle


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
    # What each registered part gathered, by the part's key.
    parts: dict = field(default_factory=dict)
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


@dataclass(frozen=True)
class PackTable:
    """One table of a part: a sheet of the workbook, a table of the document and the page."""

    title: str  # the sheet's title
    headers: list
    rows: list
    # A table with a heading is shown only when it has rows, under that heading.
    heading: str = ""


@dataclass(frozen=True)
class PackPart:
    """A section another app adds to the pack, read in the same moment as the figures.

    The enterprises app adds the sectors and the key enterprises behind the gap.
    """

    key: str
    heading: object  # the section's heading in the document (the page's is in its template)
    # campaign -> what changes whenever a figure the part shows does (see ``_stamp``)
    stamp: Callable
    # (campaign, user) -> the part's facts, read through the user's access
    gather: Callable
    # facts -> when the newest figure they show was recorded, or None
    as_of: Callable
    # facts -> [PackTable]
    tables: Callable
    # the page's section; given ``section`` (``part``, ``facts``, ``tables``)
    template: str


PARTS: dict[str, PackPart] = {}


def register_part(part):
    """Add a section to the pack (called from the app's ``AppConfig.ready()``)."""
    PARTS[part.key] = part


@dataclass
class Section:
    """A registered part with what it gathered for one pack."""

    part: PackPart
    facts: object
    tables: list


def sections(pack):
    """The pack's parts in the order registered, each with its facts and tables."""
    found = []
    for key, facts in pack.parts.items():
        part = PARTS[key]
        found.append(Section(part, facts, part.tables(facts)))
    return found


def _stamp(campaign):
    """What changes whenever a figure the pack shows does: rows are added on each revision
    of an indicator's figure; each part says what changes with its figures."""
    observations = Observation.objects.filter(indicator__campaign=campaign).aggregate(
        n=Count("pk"), last=Max("pk")
    )
    return (*observations.values(), *(part.stamp(campaign) for part in PARTS.values()))


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


def _indicator_sources():
    """The keys of the problem sources of the indicators battle (key enterprises' visits),
    whichever app registers them."""
    return [source.key for source in SOURCES.values() if source.battle == Battle.INDICATORS]


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
        .filter(campaign=campaign, state=BlockerState.OPEN, source_kind__in=_indicator_sources())
        .select_related("unit")
        .order_by("raised_on", "pk")
    )
    for blocker in blockers:
        blocker.days_open = (today - blocker.raised_on).days
    parts = {key: part.gather(campaign, user) for key, part in PARTS.items()}
    moments = [queries.newest_recorded(observations)]
    moments += [PARTS[key].as_of(facts) for key, facts in parts.items()]
    return Pack(
        campaign=campaign,
        month=month,
        today=today,
        areas=areas,
        rows=rows,
        warnings=warnings_on_figures(campaign, indicators, observations, month, today),
        data_at=max([at for at in moments if at], default=None),
        outlook=outlook(campaign, user, today),
        blockers=blockers,
        parts=parts,
    )


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
        _("Year end: likely range (%)"),
        _("Target"),
        _("To beat (%)"),
        _("Gap (points)"),
        _("Still to add"),
        _("Odds"),
        _("Key enterprises and projects"),
    ]
    rows = []
    for row in pack.outlook.indicators:
        if row.latest is None:
            continue
        year_end = row.year_end.growth
        band = (
            "{:.1f}–{:.1f}".format(year_end - row.year_end_band, year_end + row.year_end_band)
            if row.year_end_band
            else ""
        )
        base = [
            row.indicator.name,
            round(row.latest_growth, 1),
            round(row.quarter_end.growth, 1),
            round(year_end, 1),
            band,
        ]
        support = support_text(row)
        if not row.targets:
            rows.append(base + ["", None, None, "", "", support])
        for t in row.targets:
            still = ""
            if t.gap_level is not None:
                still = (
                    "{:.1f} {}".format(t.gap_level, row.indicator.unit_of_measure)
                    if t.gap_level > 0
                    else _("none")
                )
            odds = t.odds_words
            if odds and t.caution:
                odds += _(" (rough guide)")
            rows.append(
                base
                + [
                    t.target.name,
                    None if t.threshold is None else round(t.threshold, 1),
                    None if t.gap_points is None else round(t.gap_points, 1) + 0.0,
                    still,
                    odds,
                    support,
                ]
            )
    return headers, rows


def forecast_sentences(pack):
    """Per indicator: the odds of each open target in words, its likely range and caution,
    and what the forecast rests on (the months, their sources, the backtest)."""
    found = []
    for row in pack.outlook.indicators:
        if row.latest is None:
            continue
        lines = []
        for t in row.targets:
            if not t.odds_text:
                continue
            line = t.odds_text
            if t.band_text:
                line += " " + _("Forecast {growth}%, {band}.").format(
                    growth="{:.1f}".format(t.projection.growth), band=t.band_text
                )
            if t.caution:
                line += " " + t.caution
            lines.append(line)
        found.append((row.indicator.name, lines, row.basis_text))
    return found


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


def method_text():
    """The method and its backtest in two sentences, for the document."""
    from vanguard.indicators import backtest, wording
    from vanguard.indicators.forecast import TUNED_ON

    return (
        _(
            "The forecast grows last year's remaining months at the pace of the recent single "
            "months and the year to date, counting the base effect of last year's months where "
            "they are entered; its settings were chosen by a backtest on {file}, and the odds and "
            "ranges take the size of that backtest's errors at the same number of months ahead."
        ).format(file=TUNED_ON)
        + " "
        + wording.held_out_words(backtest.held_out())
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
    for name, lines, basis in forecast_sentences(pack):
        documents.add_paragraph(
            document,
            _("{name}: {text}").format(name=name, text="".join(lines) or _("No open target.")),
        )
        documents.add_paragraph(document, basis)
    documents.add_paragraph(document, method_text())

    for section in sections(pack):
        documents.add_heading(document, str(section.part.heading))
        for table in section.tables:
            if not table.heading:
                documents.add_table(document, table.headers, table.rows)
            elif table.rows:
                documents.add_heading(document, table.heading, level=2)
                documents.add_table(document, table.headers, table.rows)

    documents.add_heading(document, _("5. Problems still open"))
    documents.add_table(document, *blocker_table(pack), empty=_("No open problem."))
    return documents.document_bytes(document)


# --- the workbook --------------------------------------------------------------------------


def xlsx_sheets(pack):
    """The pack as a workbook's sheets: one per part, the same rows as the document."""
    caption = [pack.title, pack.as_of_text]
    sheets = []
    tables = [
        (_("Indicators"), indicator_table(pack)),
        (_("Warnings"), warning_table(pack)),
        (_("Forecast"), forecast_table(pack)),
        (
            _("Forecast in words"),
            (
                [_("Indicator"), _("In words"), _("Rests on")],
                [[name, "".join(lines), basis] for name, lines, basis in forecast_sentences(pack)],
            ),
        ),
    ]
    tables += [
        (table.title, (table.headers, table.rows))
        for section in sections(pack)
        for table in section.tables
    ]
    tables.append((_("Open problems"), blocker_table(pack)))
    for title, (headers, rows) in tables:
        sheets.append(
            Sheet(
                title=title,
                headers=headers,
                rows=rows,
                caption=caption,
            )
        )
    return sheets
