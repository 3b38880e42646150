"""Where each indicator with a target is heading: quarter-end and year-end forecasts, gaps, odds.

Reads the figures in force once (this year's and last year's), turns them into
``forecast.Series`` per indicator and area, and for every target still open projects
the district (following the city's or else the province's forecast by the tuned share)
and its comparators to the target's last month. A growth target's gap is in points
and, for an indicator with levels, in its own unit: the level still to add on top of
the trend (缺口). A relative target is met when the district's growth ends above each
comparator's; its odds multiply the odds against each comparator, as if their errors
were independent, which the page says.

The odds and the likely range take the spread of the forecast's errors at the same
number of months ahead in its backtest on officially published figures
(``backtest.shipped``), or the campaign's own backtest of this year's months where it
has enough forecasts and erred more. Odds are said in tenths (``wording``); where the
backtest is thin, the method did no better than carrying the growth forward, or the
test on a year it was not tuned on does not reach that far ahead, the outlook says so.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from vanguard.core.money import UNITS
from vanguard.indicators import backtest, forecast, wording
from vanguard.indicators.choices import AreaLevel, GoodDirection, ObservationSource
from vanguard.indicators.models import Observation
from vanguard.indicators.queries import MAIN_MEASURE, areas_of, indicators_for
from vanguard.org.access import restrict
from vanguard.org.choices import Battle
from vanguard.projects.queries import completing_this_year
from vanguard.targets.choices import TargetKind
from vanguard.targets.models import Target

# The share of outcomes the likely range holds (as ``backtest.BAND_SHARE``).
BAND_SHARE = backtest.BAND_SHARE
# The comparator the district's forecast follows: the nearest area that publishes.
COMPANIONS = (AreaLevel.CITY, AreaLevel.PROVINCE)


@dataclass
class TargetOutlook:
    """One target of one indicator, as the forecast sees its end."""

    target: Target
    month: int  # the month number (1–12) of the target period's end
    horizon: int  # months from the latest figure to it
    projection: forecast.Projection
    threshold: float | None  # the growth to beat: the target's, or the best comparator's
    threshold_label: str = ""
    gap_points: float | None = None  # projected − threshold (positive: ahead)
    gap_level: float | None = None  # level to add to reach the threshold (positive: short)
    probability: float | None = None
    comparators: list = field(default_factory=list)  # (area, projection, probability)
    spread: float | None = None  # the spread the odds take (points)
    band: float | None = None  # half the likely range (points)
    caution: str = ""  # why the odds are only a rough guide, when they are

    @property
    def probability_percent(self):
        return None if self.probability is None else round(self.probability * 100)

    @property
    def odds_text(self):
        """按目前走势，一季度增速达到6.5%的可能约为七成。"""
        if self.probability is None:
            return ""
        if self.target.kind == TargetKind.RELATIVE:
            names = [area.name for area, _projection, _p in self.comparators]
            return wording.odds_sentence(self.month, self.probability, comparators=names)
        return wording.odds_sentence(self.month, self.probability, threshold=self.threshold)

    @property
    def odds_words(self):
        return "" if self.probability is None else wording.odds_words(self.probability)

    @property
    def band_low(self):
        return None if self.band is None else self.projection.growth - self.band

    @property
    def band_high(self):
        return None if self.band is None else self.projection.growth + self.band

    @property
    def band_text(self):
        if not self.band:
            return ""
        return wording.band_words(self.band_low, self.band_high, self.horizon)


@dataclass
class Support:
    """What the forecast takes from outside the statistics: enterprises and projects."""

    enterprises: int = 0  # key enterprises with an expectation for the rest of the year
    expected_growth: float | None = None  # their expected growth over last year's rest (%)
    share: float = 0.0  # their weight in the indicator's level (0 for growth-only ones)
    projects: int = 0  # major projects due to start production by the year's end
    year_end_increment: float = 0.0  # what they add by December, in the indicator's unit


@dataclass
class Basis:
    """What one area's forecast rests on: its months, their doors and when they came in."""

    months: list = field(default_factory=list)  # this year's published months
    last_year_months: list = field(default_factory=list)
    sources: set = field(default_factory=set)  # the doors the figures came through
    recorded_at: datetime.datetime | None = None  # the newest of them


@dataclass
class IndicatorOutlook:
    indicator: object
    latest: int | None  # month number of the district's latest growth figure
    latest_growth: float | None = None
    quarter_end: forecast.Projection | None = None
    year_end: forecast.Projection | None = None
    targets: list = field(default_factory=list)
    support: Support = field(default_factory=Support)
    basis: Basis = field(default_factory=Basis)
    companion: object = None  # the comparator area the district's forecast follows
    year_end_band: float | None = None  # half the year end's likely range (points)

    @property
    def basis_text(self):
        """依据：新区1-10月累计（区统计局报送，Excel导入，最近录入2026-11-18）；…"""
        return basis_words(self)


@dataclass
class Outlook:
    campaign: object
    indicators: list
    method: forecast.Method
    shipped: backtest.Shipped
    spread: backtest.Spread  # what the odds take, by months ahead
    own: list  # the campaign's own backtest, by months ahead
    tuned_on: str = forecast.TUNED_ON

    @property
    def backtest(self):
        return self.shipped.horizons


def load_series(campaign, user, indicators):
    """``{(indicator_id, area level): Series}`` of the campaign year, with last year's figures.

    Also ``{(indicator_id, area level): Basis}``: the months and doors of the figures.
    """
    year = campaign.year
    rows = (
        restrict(Observation.objects.current(), user)
        .filter(indicator__in=indicators, month__year__in=[year - 1, year])
        .values_list(
            "indicator_id", "area__level", "month", "level", "growth_pct", "source", "recorded_at"
        )
    )
    found, bases = {}, {}
    for indicator_id, level, month, value, growth, source, recorded_at in rows:
        series = found.setdefault((indicator_id, level), forecast.Series())
        basis = bases.setdefault((indicator_id, level), Basis())
        if month.year == year - 1:
            if value is not None:
                series.last_year_level[month.month] = value
            if growth is not None:
                series.last_year_growth[month.month] = growth
                basis.last_year_months.append(month.month)
            continue
        if growth is not None:
            series.growth[month.month] = growth
            basis.months.append(month.month)
        if value is not None:
            series.level[month.month] = value
        basis.sources.add(source)
        if basis.recorded_at is None or recorded_at > basis.recorded_at:
            basis.recorded_at = recorded_at
    for basis in bases.values():
        basis.months.sort()
        basis.last_year_months.sort()
    return found, bases


def project_increment(indicator, projects, latest, month):
    """(count, amount): projects starting production after ``latest`` and by ``month``.

    Each adds a year's ``project_increment_rate`` per yuan invested, pro rata for the
    whole months it produces after its completion month, in the indicator's unit.
    """
    rate = indicator.project_increment_rate
    scale = UNITS.get(indicator.unit_of_measure)
    if rate is None or scale is None:
        return 0, 0.0
    count, total = 0, 0.0
    for investment, completed in projects:
        if latest < completed.month <= month:
            count += 1
            total += float(investment) * float(rate) * (month - completed.month) / 12
    return count, total / scale


# Sources of the support an indicator's stock gets from outside the statistics (key
# enterprises' own expectations): each is called as ``source(campaign, user, indicators,
# latest_by_indicator, base_by_indicator)``, where the latest is the district's latest
# month number and the base last year's level to date (levels only), and returns
# ``{indicator id: Support}``. Apps register theirs in ``AppConfig.ready()``.
STOCK_SOURCES = {}


def register_stock_source(key, source):
    """Let an app (the enterprises app) add to the forecast's stock support."""
    STOCK_SOURCES[key] = source


def _sign(indicator):
    return -1 if indicator.good_direction == GoodDirection.DOWN else 1


def own_backtest(all_series, method):
    """The method's backtest on the campaign's own district series of this year."""
    cases = [
        _OwnCase(series, _companion(all_series, indicator_id)[1])
        for (indicator_id, level), series in all_series.items()
        if level == AreaLevel.DISTRICT and len(series.growth) > 1
    ]
    return backtest.forecasts(cases, method)


@dataclass
class _OwnCase:
    series: forecast.Series
    companion: forecast.Series | None
    name: str = ""
    year: int = 0


def _companion(all_series, indicator_id):
    """(area level, series) the district's forecast follows: the city's, else the province's."""
    for level in COMPANIONS:
        series = all_series.get((indicator_id, level))
        if series is not None and series.growth:
            return level, series
    return None, None


def combined_spread(shipped, own_forecasts):
    """The published backtest's spread, or the campaign's own where it has enough
    forecasts and erred more (the district's figures may swing more than a nation's)."""
    own, _naive = backtest.spreads(own_forecasts)
    spread = backtest.Spread(
        dict(shipped.spread.by_horizon), dict(shipped.spread.band), dict(shipped.spread.counts)
    )
    for ahead, count in own.counts.items():
        if count >= backtest.MIN_FORECASTS and ahead in spread.by_horizon:
            spread.by_horizon[ahead] = max(spread.by_horizon[ahead], own.by_horizon[ahead])
            spread.band[ahead] = max(spread.band[ahead], own.band[ahead])
    return spread


def outlook(campaign, user, today=None):
    """The forecast of every indicator the user may see, with its open targets."""
    today = today or datetime.date.today()
    indicators = list(indicators_for(user, campaign))
    areas = areas_of(campaign, user)
    all_series, bases = load_series(campaign, user, indicators)
    method = forecast.TUNED
    shipped = backtest.shipped()
    own = own_backtest(all_series, method)
    spread = combined_spread(shipped, own)
    # How far ahead the year the method was not tuned on supports it.
    reach = backtest.held_out()["checks"]["supported_months_ahead"]
    targets = list(
        restrict(
            Target.objects.filter(
                campaign=campaign,
                battle=Battle.INDICATORS,
                kind__in=[TargetKind.GROWTH, TargetKind.RELATIVE],
                period_end__year=campaign.year,
            ),
            user,
        ).order_by("period_end", "sort_order")
    )
    projects = completing_this_year(campaign, user)
    supports = _supports(campaign, user, indicators, all_series, projects)
    rows = []
    for indicator in indicators:
        home = all_series.get((indicator.pk, AreaLevel.DISTRICT))
        latest = home.latest if home else None
        row = IndicatorOutlook(indicator, latest)
        rows.append(row)
        if latest is None:
            continue
        row.basis = bases.get((indicator.pk, AreaLevel.DISTRICT), Basis())
        row.support = supports.get(indicator.pk, Support())
        row.latest_growth = float(home.growth[latest])
        level, companion = _companion(all_series, indicator.pk)
        row.companion = areas.get(level) if level else None
        # The quarter still open: a quarter's last month already published looks ahead.
        quarter_end = min((m for m in (3, 6, 9, 12) if m > latest), default=12)

        def projected(
            series, month, *, own=True, indicator=indicator, latest=latest, companion=companion
        ):
            extra = {}
            if own:
                support = supports.get(indicator.pk, Support())
                extra = {
                    "increment": project_increment(indicator, projects, latest, month)[1],
                    "stock_pace": support.expected_growth,
                    "stock_share": support.share,
                    "companion": companion,
                }
            return forecast.project(series, month, method, **extra)

        row.quarter_end = projected(home, quarter_end)
        row.year_end = projected(home, 12)
        row.year_end_band = spread.band_at(12 - latest)
        mine = [
            t
            for t in targets
            if t.measure == indicator.measure or (indicator.main and t.measure == MAIN_MEASURE)
        ]
        for target in mine:
            month = target.period_end.month
            if month < latest:
                continue  # over: the warnings judge what was published
            row.targets.append(
                _target_outlook(
                    indicator,
                    target,
                    month,
                    home,
                    all_series,
                    areas,
                    spread,
                    shipped,
                    reach,
                    projected,
                )
            )
    return Outlook(campaign, rows, method, shipped, spread, backtest.horizons(own))


def _supports(campaign, user, indicators, all_series, projects):
    """Each indicator's support from enterprises and projects (``Support``)."""
    latest = {}
    base = {}
    for indicator in indicators:
        home = all_series.get((indicator.pk, AreaLevel.DISTRICT))
        if home and home.latest:
            latest[indicator.pk] = home.latest
            level, growth = home.level.get(home.latest), home.growth.get(home.latest)
            if level is not None and growth is not None:
                base[indicator.pk] = float(level) / (1 + float(growth) / 100)
    supports = {}
    for source in STOCK_SOURCES.values():
        supports.update(source(campaign, user, indicators, latest, base))
    for indicator in indicators:
        if indicator.pk not in latest:
            continue
        support = supports.setdefault(indicator.pk, Support())
        support.projects, support.year_end_increment = project_increment(
            indicator, projects, latest[indicator.pk], 12
        )
    return supports


def _target_outlook(
    indicator, target, month, home, all_series, areas, spread, shipped, reach, projected
):
    sign = _sign(indicator)
    horizon = month - home.latest
    mine = projected(home, month)
    result = TargetOutlook(target, month, horizon, mine, None)
    result.spread = spread.at(horizon) if horizon > 0 else 0.0
    result.band = spread.band_at(horizon) if horizon > 0 else None
    result.caution = caution(shipped, horizon, reach)
    if target.kind == TargetKind.GROWTH:
        threshold = float(target.value)
        result.threshold, result.threshold_label = threshold, target.value_display
        result.probability = _odds(sign, mine.growth, threshold, result.spread)
    else:
        best = None
        odds = 1.0
        for level in target.comparators:
            theirs = all_series.get((indicator.pk, level))
            area = areas.get(level)
            if theirs is None or theirs.latest is None or area is None:
                continue
            theirs_then = projected(theirs, month, own=False)
            # Both forecasts err: the spread of their difference.
            p = _odds(
                sign, mine.growth, theirs_then.growth, result.spread * math.sqrt(2), strictly=True
            )
            result.comparators.append((area, theirs_then, p))
            odds *= p
            if best is None or sign * theirs_then.growth > sign * best[1].growth:
                best = (area, theirs_then)
        if best is None:
            return result
        result.threshold, result.threshold_label = best[1].growth, best[0].name
        result.probability = odds
    result.gap_points = sign * (mine.growth - result.threshold)
    if mine.base is not None and mine.level is not None:
        needed = mine.base * (1 + result.threshold / 100)
        result.gap_level = sign * (needed - mine.level)
    return result


def caution(shipped, horizon, reach=None):
    """Why odds this many months ahead are only a rough guide, or "" when the backtest
    supports them: the published backtest and, past ``reach`` months ahead, the test on
    the year the method was not tuned on (``backtest.supported_reach``)."""
    if horizon <= 0:
        return ""
    row = shipped.row(horizon)
    longest = max((r["months_ahead"] for r in shipped.horizons), default=0)
    if row is None and horizon > longest:
        return _("No forecast this far ahead was backtested: the odds are a rough guide only.")
    if row is None or row["n"] < backtest.MIN_FORECASTS:
        return _(
            "The backtest has only {n} forecasts made {months} months ahead: the odds are a"
            " rough guide only."
        ).format(n=row["n"] if row else 0, months=horizon)
    if row["mae_ratio"] is not None and row["mae_ratio"] >= 1:
        return _(
            "{months} months ahead the method did no better than carrying the latest growth"
            " forward in the backtest: the odds are a rough guide only."
        ).format(months=horizon)
    if reach is not None and horizon > reach:
        return _(
            "On a year it was not tuned on, the method beat carrying the latest growth forward"
            " only up to {reach} months ahead: the odds {months} months ahead are a rough guide"
            " only."
        ).format(reach=reach, months=horizon)
    return ""


def basis_words(row):
    """The months and sources a district forecast rests on, in one sentence."""
    basis = row.basis
    if not basis.months:
        return ""
    labels = dict(ObservationSource.choices)
    doors = pgettext("list separator", ", ").join(
        str(labels.get(s, s)) for s in sorted(basis.sources)
    )
    unit = row.indicator.responsible_unit
    parts = [
        _("months {months} of this year ({unit}; entered by {doors}; latest on {day})").format(
            months=_month_list(basis.months),
            unit=unit.name if unit else row.indicator.responsible_unit_name,
            doors=doors,
            day=basis.recorded_at.date().isoformat() if basis.recorded_at else "—",
        )
    ]
    if basis.last_year_months:
        parts.append(
            _("last year's months {months} (base effect)").format(
                months=_month_list(basis.last_year_months)
            )
        )
    else:
        parts.append(_("no figures of last year, so no base effect"))
    if row.companion is not None:
        parts.append(_("{area}'s figures of the same months").format(area=row.companion.name))
    parts.append(
        _("error band and odds from the backtest on {file}").format(file=forecast.TUNED_ON)
    )
    return _("Rests on: {parts}.").format(parts=pgettext("clause separator", "; ").join(parts))


def _month_list(months):
    """1-10月 when every month is there, else the months one by one: 3、6、9月."""
    if not months:
        return ""
    if months == list(range(months[0], months[-1] + 1)) and months[0] <= 2:
        return "1-{}月".format(months[-1])
    return "{}月".format("、".join(str(m) for m in months))


def _odds(sign, projected, threshold, spread, strictly=False):
    if spread <= 0:
        ahead = sign * (projected - threshold)
        return 1.0 if ahead > 0 or (ahead == 0 and not strictly) else 0.0
    return forecast.probability_above(sign * projected, sign * threshold, spread)
