"""Forecast of an indicator's cumulative growth at a later month (存量、增量支撑), and its backtest.

Chinese statistics publish, for month N, the cumulative level of months 1..N and its
growth over the same months of last year. From those two the forecast recovers last
year's cumulative levels (level ÷ (1 + growth)), so the single months of both years,
and projects the months still to come:

    stock     last year's remaining months, grown at the recent pace: a weighted
              mean of the growth of the last three single months and the
              year-to-date growth;
    increment what major projects due to start production add on top, given by the
              caller in the indicator's unit of measure;
    expectations key enterprises' own expectation for the rest of the year takes the
              place of the recent pace for their share of last year's level;
    forecast  (level to date + stock + increment) ÷ last year's level at that month.

Last year's level at the target month comes from last year's figures when they are
stored, and otherwise from this year's seasonal shape (last year's months to date,
scaled by months). An indicator published only as a growth rate (规上工业增加值) has no
levels: its growth is carried forward with a share of its recent slope.

The weight of the recent months and the share of the slope are chosen by
``calibrate``: the pair whose backtest on the campaign's own past months erred least.

The probability of meeting a target treats the forecast's error as normal, with the
spread the backtest measured at the same horizon (months ahead): every month of the
data is forecast from each earlier month and compared with what was published. The
naive forecast (the latest growth carried forward unchanged) is the baseline the
method must beat.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

# Months of recent single-month growth the pace looks at.
WINDOW = 3
# The weight of the recent single months in the pace (the rest is the year to date).
WEIGHT = 0.5
# A growth-only indicator keeps this share of its recent slope per month ahead.
DAMPING = 0.5
# What ``calibrate`` may choose from; a weight and a damping of 0 are the naive forecast.
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
DAMPINGS = (0.0, 0.25, 0.5)
# When no backtest covers a horizon: this many points of spread per month ahead.
FALLBACK_SPREAD = 0.8


@dataclass
class Series:
    """One indicator's cumulative figures for one area and year, by month number (1–12)."""

    level: dict = field(default_factory=dict)
    growth: dict = field(default_factory=dict)
    # Last year's cumulative levels by month, where they are stored.
    last_year_level: dict = field(default_factory=dict)

    def up_to(self, month):
        """The series as it stood when month ``month`` was the latest published."""
        return Series(
            level={m: v for m, v in self.level.items() if m <= month},
            growth={m: v for m, v in self.growth.items() if m <= month},
            last_year_level=dict(self.last_year_level),
        )

    @property
    def latest(self):
        return max(self.growth) if self.growth else None


@dataclass
class Projection:
    """The forecast at ``month``: cumulative growth (%), level, and how it was made."""

    month: int
    growth: float
    level: float | None = None
    base: float | None = None  # last year's cumulative level at ``month``
    stock: float | None = None  # what the trend adds from the latest month to ``month``
    increment: float = 0.0
    pace: float | None = None  # the growth (%) applied to last year's remaining months
    method: str = "levels"
    # Key enterprises' own expectation for the rest of the year (%) and its weight.
    stock_pace: float | None = None
    stock_share: float = 0.0


def _f(value):
    return None if value is None else float(value)


def _base_levels(series):
    """Last year's cumulative levels recovered from this year's level and growth."""
    base = {}
    for m, level in series.level.items():
        growth = series.growth.get(m)
        if level is not None and growth is not None and float(growth) > -100:
            base[m] = float(level) / (1 + float(growth) / 100)
    return base


def project(
    series,
    month,
    increment=0.0,
    weight=WEIGHT,
    damping=DAMPING,
    stock_pace=None,
    stock_share=0.0,
):
    """Forecast the cumulative growth at ``month`` from the figures in ``series``.

    ``increment`` is added to the level (indicators with levels only). ``weight`` is the
    share of the recent single months in the pace, ``damping`` the share of its recent
    slope a growth-only indicator keeps per month ahead. ``stock_pace`` is the growth
    (%) key enterprises expect for the rest of the year; it replaces the trend's pace for
    their ``stock_share`` of last year's level.
    """
    latest = series.latest
    if latest is None:
        raise ValueError("no figures to forecast from")
    growth_now = float(series.growth[latest])
    if month <= latest:
        return Projection(month=month, growth=growth_now, method="published")
    base = _base_levels(series)
    if latest not in base:
        return _project_growth_only(series, latest, month, damping)

    level_now = float(series.level[latest])
    earlier = latest - WINDOW
    if earlier in base and series.level.get(earlier) is not None:
        recent = (level_now - float(series.level[earlier])) / (base[latest] - base[earlier]) - 1
        pace = weight * recent * 100 + (1 - weight) * growth_now
    else:
        pace = growth_now
    if stock_pace is not None and stock_share > 0:
        share = min(max(stock_share, 0.0), 1.0)
        pace = (1 - share) * pace + share * stock_pace
    last_year_then = _f(series.last_year_level.get(month))
    last_year_now = _f(series.last_year_level.get(latest)) or base[latest]
    if last_year_then is None:
        last_year_then = base[latest] * month / latest
    else:
        # Stored last-year figures and recovered ones can differ by revisions: keep
        # the recovered level to date and take only the remaining months' share.
        last_year_then = base[latest] + (last_year_then - last_year_now)
    remaining = last_year_then - base[latest]
    stock = remaining * (1 + pace / 100)
    level = level_now + stock + float(increment)
    return Projection(
        month=month,
        growth=(level / last_year_then - 1) * 100,
        level=level,
        base=last_year_then,
        stock=stock,
        increment=float(increment),
        pace=pace,
        stock_pace=stock_pace,
        stock_share=min(max(stock_share, 0.0), 1.0) if stock_pace is not None else 0.0,
    )


def _project_growth_only(series, latest, month, damping=DAMPING):
    growth_now = float(series.growth[latest])
    earlier = [m for m in series.growth if m < latest and m >= latest - WINDOW]
    slope = 0.0
    if earlier:
        first = min(earlier)
        slope = (growth_now - float(series.growth[first])) / (latest - first)
    return Projection(
        month=month,
        growth=growth_now + damping * slope * (month - latest),
        pace=slope,
        method="growth",
    )


def naive(series, month):
    """The baseline: the latest cumulative growth carried forward unchanged."""
    return float(series.growth[series.latest])


# --- backtest and probability -------------------------------------------------------------


@dataclass
class Errors:
    """Forecast errors (forecast − published, in points) by months ahead."""

    by_horizon: dict = field(default_factory=dict)
    naive_by_horizon: dict = field(default_factory=dict)
    # The method's settings the errors were measured with.
    weight: float = WEIGHT
    damping: float = DAMPING

    def add(self, horizon, error, naive_error):
        self.by_horizon.setdefault(horizon, []).append(error)
        self.naive_by_horizon.setdefault(horizon, []).append(naive_error)

    def spread(self, horizon):
        """Root mean square error at ``horizon`` (points), or a fallback when unmeasured."""
        errors = self.by_horizon.get(horizon)
        if not errors or len(errors) < 3:
            return FALLBACK_SPREAD * max(horizon, 1)
        return max(math.sqrt(sum(e * e for e in errors) / len(errors)), 0.1)

    def summary(self):
        """Per horizon: n, mean absolute error and RMSE of the method and the naive baseline."""
        rows = []
        for horizon in sorted(self.by_horizon):
            errors = self.by_horizon[horizon]
            naive_errors = self.naive_by_horizon[horizon]
            rows.append(
                {
                    "horizon": horizon,
                    "n": len(errors),
                    "mae": sum(abs(e) for e in errors) / len(errors),
                    "rmse": math.sqrt(sum(e * e for e in errors) / len(errors)),
                    "naive_mae": sum(abs(e) for e in naive_errors) / len(naive_errors),
                    "naive_rmse": math.sqrt(sum(e * e for e in naive_errors) / len(naive_errors)),
                }
            )
        return rows


def backtest(all_series, errors=None, weight=WEIGHT, damping=DAMPING):
    """Forecast every published month of each series from each earlier month.

    ``all_series`` is an iterable of ``Series``; returns ``Errors``.
    """
    errors = errors or Errors()
    errors.weight, errors.damping = weight, damping
    for series in all_series:
        months = sorted(series.growth)
        for i, origin in enumerate(months):
            if i == 0:
                continue  # one month gives no pace to forecast with
            known = series.up_to(origin)
            for target in months[i + 1 :]:
                actual = float(series.growth[target])
                forecast = project(known, target, weight=weight, damping=damping).growth
                errors.add(target - origin, forecast - actual, naive(known, target) - actual)
    return errors


def calibrate(all_series):
    """The weight and damping that forecast the past months best, with that backtest.

    Every pair of ``WEIGHTS`` and ``DAMPINGS`` is backtested on the series; the one with
    the least squared error over all forecasts wins (ties go to the simpler, smaller
    one). A weight and a damping of 0 carry the latest growth forward, so the chosen
    method is never worse than that baseline on the months it has seen.
    """
    all_series = list(all_series)
    best = None
    for weight in WEIGHTS:
        for damping in DAMPINGS:
            errors = backtest(all_series, weight=weight, damping=damping)
            squared = sum(e * e for found in errors.by_horizon.values() for e in found)
            if best is None or squared < best[0] - 1e-12:
                best = (squared, errors)
    return best[1]


def normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def probability_above(forecast, threshold, spread, *, strictly=False):
    """P(outcome ≥ threshold) when the outcome is normal around ``forecast``."""
    if spread <= 0:
        return 1.0 if forecast > threshold or (not strictly and forecast == threshold) else 0.0
    return normal_cdf((forecast - threshold) / spread)


def as_decimal(value, places=2):
    return None if value is None else Decimal(str(round(value, places)))
