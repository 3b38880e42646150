"""Where each indicator with a target is heading: quarter-end and year-end forecasts, gaps, odds.

Reads the figures in force once, turns them into ``forecast.Series`` per indicator and
area, backtests the method on all of them (the spread of its errors by months ahead
gives the odds), and for every target still open projects the district and its
comparators to the target's last month. A growth target's gap is in points and, for an
indicator with levels, in its own unit: the level still to add on top of the trend
(缺口). A relative target is met when the district's growth ends above each
comparator's; its odds multiply the odds against each comparator, as if their errors
were independent, which the page says.
"""

import datetime
import math
from dataclasses import dataclass, field

from vanguard.indicators import forecast
from vanguard.indicators.choices import AreaLevel, GoodDirection
from vanguard.indicators.models import Observation
from vanguard.indicators.queries import MAIN_MEASURE, areas_of, indicators_for
from vanguard.org.access import restrict
from vanguard.org.choices import Battle
from vanguard.targets.choices import TargetKind
from vanguard.targets.models import Target


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

    @property
    def probability_percent(self):
        return None if self.probability is None else round(self.probability * 100)


@dataclass
class IndicatorOutlook:
    indicator: object
    latest: int | None  # month number of the district's latest growth figure
    latest_growth: float | None = None
    quarter_end: forecast.Projection | None = None
    year_end: forecast.Projection | None = None
    targets: list = field(default_factory=list)


@dataclass
class Outlook:
    campaign: object
    indicators: list
    errors: forecast.Errors
    spread_by_horizon: dict


def load_series(campaign, user, indicators):
    """``{(indicator_id, area level): Series}`` of the campaign year, with last year's levels."""
    year = campaign.year
    rows = (
        restrict(Observation.objects.current(), user)
        .filter(indicator__in=indicators, month__year__in=[year - 1, year])
        .values_list("indicator_id", "area__level", "month", "level", "growth_pct")
    )
    found = {}
    for indicator_id, level, month, value, growth in rows:
        series = found.setdefault((indicator_id, level), forecast.Series())
        if month.year == year - 1:
            if value is not None:
                series.last_year_level[month.month] = value
            continue
        if growth is not None:
            series.growth[month.month] = growth
        if value is not None:
            series.level[month.month] = value
    return found


def _sign(indicator):
    return -1 if indicator.good_direction == GoodDirection.DOWN else 1


def outlook(campaign, user, today=None):
    """The forecast of every indicator the user may see, with its open targets."""
    today = today or datetime.date.today()
    indicators = list(indicators_for(user, campaign))
    areas = areas_of(campaign, user)
    all_series = load_series(campaign, user, indicators)
    errors = forecast.calibrate(s for s in all_series.values() if len(s.growth) > 1)
    settings = {"weight": errors.weight, "damping": errors.damping}
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
    rows = []
    for indicator in indicators:
        home = all_series.get((indicator.pk, AreaLevel.DISTRICT))
        latest = home.latest if home else None
        row = IndicatorOutlook(indicator, latest)
        rows.append(row)
        if latest is None:
            continue
        row.latest_growth = float(home.growth[latest])
        # The quarter still open: a quarter's last month already published looks ahead.
        quarter_end = min((m for m in (3, 6, 9, 12) if m > latest), default=12)
        row.quarter_end = forecast.project(home, quarter_end, **settings)
        row.year_end = forecast.project(home, 12, **settings)
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
                _target_outlook(indicator, target, month, home, all_series, areas, errors)
            )
    spreads = {h: errors.spread(h) for h in range(1, 12)}
    return Outlook(campaign, rows, errors, spreads)


def _target_outlook(indicator, target, month, home, all_series, areas, errors):
    sign = _sign(indicator)
    horizon = month - home.latest
    settings = {"weight": errors.weight, "damping": errors.damping}
    mine = forecast.project(home, month, **settings)
    spread = errors.spread(horizon) if horizon > 0 else 0.0
    result = TargetOutlook(target, month, horizon, mine, None)
    if target.kind == TargetKind.GROWTH:
        threshold = float(target.value)
        result.threshold, result.threshold_label = threshold, target.value_display
        result.probability = _odds(sign, mine.growth, threshold, spread)
    else:
        best = None
        odds = 1.0
        for level in target.comparators:
            theirs = all_series.get((indicator.pk, level))
            area = areas.get(level)
            if theirs is None or theirs.latest is None or area is None:
                continue
            projected = forecast.project(theirs, month, **settings)
            # Both forecasts err: the spread of their difference.
            p = _odds(sign, mine.growth, projected.growth, spread * math.sqrt(2), strictly=True)
            result.comparators.append((area, projected, p))
            odds *= p
            if best is None or sign * projected.growth > sign * best[1].growth:
                best = (area, projected)
        if best is None:
            return result
        result.threshold, result.threshold_label = best[1].growth, best[0].name
        result.probability = odds
    result.gap_points = sign * (mine.growth - result.threshold)
    if mine.base is not None and mine.level is not None:
        needed = mine.base * (1 + result.threshold / 100)
        result.gap_level = sign * (needed - mine.level)
    return result


def _odds(sign, projected, threshold, spread, strictly=False):
    if spread <= 0:
        ahead = sign * (projected - threshold)
        return 1.0 if ahead > 0 or (ahead == 0 and not strictly) else 0.0
    return forecast.probability_above(sign * projected, sign * threshold, spread)
