"""The forecast's backtest: errors by months ahead, the choice of settings, the odds' calibration.

Every published month of a series is forecast from each earlier published month of the
same year, as if only the figures up to then were known, and compared with what was
published; the naive forecast carries the latest growth forward unchanged. ``tune``
chooses the ``Method`` whose forecasts erred least (sum of absolute errors) on the
tuning series; ``report`` tests a method on other series and says what it was tuned on.

The odds of a target treat the outcome as normal around the forecast, with the spread
the tuning backtest measured at the same number of months ahead (a normal spread of
the same mean absolute error). Their calibration is the Brier score of "the year's growth will reach X" for
targets X every half point within two points of the latest published growth, beside
the same odds drawn around the naive forecast with its own measured spread, and a
reliability table: of the odds given between 60 and 70 %, how many came true.
"""

import functools
import itertools
import math
from dataclasses import dataclass, field, replace

from vanguard.indicators.forecast import (
    QUARTER,
    TUNED,
    TUNED_YEARS,
    Method,
    naive,
    probability_above,
    project,
)

# What ``tune`` chooses from, each list's first entry winning ties (so a setting the
# tuning series cannot tell apart stays at the first: the middle of its range, or none).
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
WINDOWS = (3, 1, QUARTER)
BASE_EFFECTS = (0.5, 0.0, 1.0)
RELATIONS = (0.0, 0.5, 1.0)
# Targets of the calibration: every half point within this many points of the latest growth.
THRESHOLD_REACH = 2.0
THRESHOLD_STEP = 0.5
# A horizon's spread is measured on its own forecasts when it has this many; else pooled.
MIN_FORECASTS = 5
# The likely range holds this share of the backtest's errors.
BAND_SHARE = 0.8
# The spread's floor (points): a forecast is never sure to the tenth of a point.
MIN_SPREAD = 0.1
BINS = 10
# The spread of a normal distribution whose mean absolute deviation is 1.
NORMAL_MAE = math.sqrt(math.pi / 2)


@dataclass
class Forecast:
    """One backtest forecast: a series forecast from ``origin`` for ``target``."""

    name: str
    year: int
    origin: int
    target: int
    forecast: float
    naive: float
    actual: float

    @property
    def months_ahead(self):
        return self.target - self.origin

    @property
    def error(self):
        return self.forecast - self.actual

    @property
    def naive_error(self):
        return self.naive - self.actual


def forecasts(cases, method, forecaster=project):
    """Every (origin, target) pair of every case, forecast with ``method``.

    ``forecaster`` is called as ``project`` is (bench/far_horizons.py tries variants).
    """
    found = []
    for case in cases:
        series = case.series
        months = sorted(series.growth)
        for i, origin in enumerate(months):
            known = series.up_to(origin)
            for target in months[i + 1 :]:
                found.append(
                    Forecast(
                        name=case.name,
                        year=case.year,
                        origin=origin,
                        target=target,
                        forecast=forecaster(known, target, method, companion=case.companion).growth,
                        naive=naive(known, target),
                        actual=float(series.growth[target]),
                    )
                )
    return found


def _rmse(errors):
    return math.sqrt(sum(e * e for e in errors) / len(errors)) if errors else None


def _mae(errors):
    return sum(abs(e) for e in errors) / len(errors) if errors else None


def horizons(found):
    """Per months ahead: n, MAE and RMSE of the method and the naive forecast, and ratios."""
    rows = []
    for ahead in sorted({f.months_ahead for f in found}):
        mine = [f.error for f in found if f.months_ahead == ahead]
        theirs = [f.naive_error for f in found if f.months_ahead == ahead]
        mae, naive_mae = _mae(mine), _mae(theirs)
        rmse, naive_rmse = _rmse(mine), _rmse(theirs)
        rows.append(
            {
                "months_ahead": ahead,
                "n": len(mine),
                "mae": mae,
                "rmse": rmse,
                "naive_mae": naive_mae,
                "naive_rmse": naive_rmse,
                "mae_ratio": mae / naive_mae if naive_mae else None,
                "rmse_ratio": rmse / naive_rmse if naive_rmse else None,
            }
        )
    return rows


@dataclass
class Spread:
    """The spread of forecast errors by months ahead, as measured (points).

    ``by_horizon`` is the spread of a normal distribution with the errors' mean absolute
    size (what the odds use); ``band`` the size that eight in ten errors did not exceed
    (what the page shows as the likely range). A horizon with fewer than
    ``MIN_FORECASTS`` forecasts pools its neighbours; beyond the longest horizon measured
    both grow like a random walk; neither ever shrinks with more months ahead.
    """

    by_horizon: dict = field(default_factory=dict)
    band: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)

    @classmethod
    def of(cls, errors_by_horizon):
        found = cls()
        if not errors_by_horizon:
            return found
        last = max(errors_by_horizon)
        spread_floor = band_floor = MIN_SPREAD
        for ahead in range(1, max(last, 12) + 1):
            errors = list(errors_by_horizon.get(ahead, []))
            found.counts[ahead] = len(errors)
            if ahead > last:
                spread = found.by_horizon[last] * math.sqrt(ahead / last)
                band = found.band[last] * math.sqrt(ahead / last)
            else:
                reach = 1
                while len(errors) < MIN_FORECASTS and reach < 12:
                    errors = [
                        e
                        for h, measured in errors_by_horizon.items()
                        if abs(h - ahead) <= reach
                        for e in measured
                    ]
                    reach += 1
                spread = _mae(errors) * NORMAL_MAE
                band = _quantile([abs(e) for e in errors], BAND_SHARE)
            spread_floor, band_floor = max(spread_floor, spread), max(band_floor, band)
            found.by_horizon[ahead], found.band[ahead] = spread_floor, band_floor
        return found

    def at(self, ahead):
        """The spread ``ahead`` months ahead (0 for a month already published)."""
        if ahead <= 0:
            return 0.0
        if not self.by_horizon:
            return None
        return self.by_horizon.get(ahead) or self.by_horizon[max(self.by_horizon)]

    def band_at(self, ahead):
        if ahead <= 0:
            return 0.0
        if not self.band:
            return None
        return self.band.get(ahead) or self.band[max(self.band)]


def _quantile(values, share):
    """The value ``share`` of ``values`` do not exceed (interpolated)."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def spreads(found):
    """(method's ``Spread``, naive forecast's ``Spread``) of a backtest's forecasts."""
    mine, theirs = {}, {}
    for f in found:
        mine.setdefault(f.months_ahead, []).append(f.error)
        theirs.setdefault(f.months_ahead, []).append(f.naive_error)
    return Spread.of(mine), Spread.of(theirs)


def grid():
    """Every ``Method`` ``tune`` tries, in the order that wins ties."""
    for weight, window, base_effect, relation in itertools.product(
        WEIGHTS, WINDOWS, BASE_EFFECTS, RELATIONS
    ):
        yield Method(weight=weight, window=window, base_effect=base_effect, relation=relation)


def _loss(found):
    """The sum of absolute errors: the measure the targets are set in, and one that a
    single break in a series (a change of caliber) cannot dominate."""
    return sum(abs(f.error) for f in found)


@dataclass
class Tuning:
    """The method ``tune`` chose, its loss and the settings the series could not tell apart."""

    method: Method
    loss: float
    forecasts: list
    unidentified: list = field(default_factory=list)


def tune(cases):
    """The ``Method`` of the grid whose forecasts of ``cases`` erred least."""
    cases = list(cases)
    best = None
    losses = {}
    for method in grid():
        found = forecasts(cases, method)
        loss = _loss(found)
        losses[method] = loss
        if best is None or loss < best[1] - 1e-9:
            best = (method, loss, found)
    method, loss, found = best
    unidentified = []
    for name, values in (
        ("weight", WEIGHTS),
        ("window", WINDOWS),
        ("base_effect", BASE_EFFECTS),
        ("relation", RELATIONS),
    ):
        same = {round(losses[replace(method, **{name: v})], 9) for v in values}
        if len(same) == 1:
            unidentified.append(name)
    return Tuning(method, loss, found, unidentified)


# --- the calibration of the odds ----------------------------------------------------------


@dataclass
class Event:
    """ "The year's growth will reach ``threshold``", forecast from ``origin``."""

    name: str
    origin: int
    threshold: float
    probability: float
    naive_probability: float
    happened: bool


def thresholds(latest_growth):
    """The targets a campaign might set near its latest growth: every half point within two."""
    centre = round(latest_growth / THRESHOLD_STEP) * THRESHOLD_STEP
    steps = int(THRESHOLD_REACH / THRESHOLD_STEP)
    return [centre + k * THRESHOLD_STEP for k in range(-steps, steps + 1)]


def events(cases, method, spread, naive_spread, year_end=12, forecaster=project):
    """Every year-end event of every case with a published year end, with both odds."""
    found = []
    for case in cases:
        series = case.series
        if year_end not in series.growth:
            continue
        actual = float(series.growth[year_end])
        for origin in sorted(m for m in series.growth if m < year_end):
            known = series.up_to(origin)
            mine = forecaster(known, year_end, method, companion=case.companion).growth
            theirs = naive(known, year_end)
            ahead = year_end - origin
            for threshold in thresholds(theirs):
                found.append(
                    Event(
                        name=case.name,
                        origin=origin,
                        threshold=threshold,
                        probability=probability_above(mine, threshold, spread.at(ahead)),
                        naive_probability=probability_above(
                            theirs, threshold, naive_spread.at(ahead)
                        ),
                        happened=actual >= threshold - 1e-9,
                    )
                )
    return found


def brier(found, naive_odds=False):
    if not found:
        return None
    odds = [(e.naive_probability if naive_odds else e.probability, e.happened) for e in found]
    return sum((p - (1.0 if happened else 0.0)) ** 2 for p, happened in odds) / len(odds)


def reliability(found, naive_odds=False):
    """Per tenth of the odds: how many events were given such odds, and the share that came true."""
    rows = []
    for k in range(BINS):
        low, high = k / BINS, (k + 1) / BINS
        inside = [
            e
            for e in found
            if low <= (e.naive_probability if naive_odds else e.probability) < high
            or (k == BINS - 1 and (e.naive_probability if naive_odds else e.probability) == 1.0)
        ]
        odds = [e.naive_probability if naive_odds else e.probability for e in inside]
        rows.append(
            {
                "from": low,
                "to": high,
                "n": len(inside),
                "mean_odds": sum(odds) / len(odds) if odds else None,
                "came_true": sum(e.happened for e in inside) / len(inside) if inside else None,
            }
        )
    return rows


# --- the report ------------------------------------------------------------------------------


def _describe(cases):
    years = sorted({c.year for c in cases})
    return {"series": [c.name for c in cases], "years": years}


def report(tested, method, *, tuned_on, tuning_forecasts, tuned_cases=None, unidentified=()):
    """The backtest of ``method`` on the ``tested`` cases, as one JSON-able dict.

    ``tuned_on`` names the series the method was tuned on; ``tuning_forecasts`` are
    its forecasts there, whose errors give the odds' spreads.
    """
    found = forecasts(tested, method)
    spread, naive_spread = spreads(tuning_forecasts)
    happened = events(tested, method, spread, naive_spread)
    tested_keys = {c.key for c in tested}
    overlap = sorted(
        {c.year for c in tuned_cases or [] if c.key in tested_keys},
    )
    return {
        "tuned_on": tuned_on,
        "tested_on": _describe(tested),
        "in_sample_years": overlap,
        "method": method.describe(),
        "unidentified": list(unidentified),
        "forecasts": len(found),
        "horizons": horizons(found),
        "spread": {str(h): v for h, v in spread.by_horizon.items()},
        "naive_spread": {str(h): v for h, v in naive_spread.by_horizon.items()},
        "events": len(happened),
        "brier": brier(happened),
        "naive_brier": brier(happened, naive_odds=True),
        "reliability": reliability(happened),
        "naive_reliability": reliability(happened, naive_odds=True),
    }


# The targets the method is held to on years it was not tuned on.
TARGET_FROM_MONTHS = 3  # from this many months ahead on ...
TARGET_MAE_RATIO = 0.9  # ... the mean absolute error at least 10 % below carrying forward
TARGET_WORST_RATIO = 1.05  # and no horizon worse than carrying forward by more than 5 %


def _ratio(row):
    if row["naive_mae"]:
        return row["mae_ratio"]
    return 1.0 if not row["mae"] else math.inf


def supported_reach(rows, enough=MIN_FORECASTS):
    """The most months ahead up to which every horizon of a test had ``enough`` forecasts
    and erred less than carrying forward (0: not even one month ahead).

    A horizon past the first one that fails does not count even if it did well: a
    forecast further ahead is not surer than a nearer one.
    """
    by_ahead = {r["months_ahead"]: r for r in rows}
    reach = 0
    while (row := by_ahead.get(reach + 1)) is not None:
        if row["n"] < enough or _ratio(row) >= 1:
            break
        reach += 1
    return reach


def checks(result):
    """The three targets, met or not, with every horizon that misses and by how much, and
    how far ahead the test supports the method (``supported_reach``)."""
    rows = result["horizons"]
    short = [
        {"months_ahead": r["months_ahead"], "n": r["n"], "mae_ratio": _ratio(r)}
        for r in rows
        if r["months_ahead"] >= TARGET_FROM_MONTHS and _ratio(r) > TARGET_MAE_RATIO
    ]
    worse = [
        {"months_ahead": r["months_ahead"], "n": r["n"], "mae_ratio": _ratio(r)}
        for r in rows
        if _ratio(r) > TARGET_WORST_RATIO
    ]
    mine, theirs = result["brier"], result["naive_brier"]
    return {
        "mae_below_naive_from_3_months": {"met": not short, "misses": short},
        "brier_below_naive": {
            "met": mine is not None and theirs is not None and mine < theirs,
            "brier": mine,
            "naive_brier": theirs,
        },
        "no_horizon_much_worse": {"met": not worse, "misses": worse},
        "supported_months_ahead": supported_reach(rows),
    }


@dataclass
class Shipped:
    """The tuned method's backtest on the shipped published series (``TUNED_ON``)."""

    series: int
    forecasts: list
    horizons: list
    spread: Spread
    naive_spread: Spread

    def row(self, ahead):
        return next((r for r in self.horizons if r["months_ahead"] == ahead), None)


@functools.cache
def shipped():
    """The backtest the page's odds and likely ranges rest on (read once per process)."""
    from vanguard.indicators import published

    tuned = [c for c in published.read_cases(published.SHIPPED) if c.year in TUNED_YEARS]
    found = forecasts(tuned, TUNED)
    spread, naive_spread = spreads(found)
    return Shipped(len(tuned), found, horizons(found), spread, naive_spread)


# The held-out split of the shipped series: tuned on the first year, tested on the second.
HELD_OUT_TUNE_YEARS = (2022,)
HELD_OUT_TEST_YEARS = (2023,)


@functools.cache
def held_out():
    """The backtest on years the method was not tuned on (``report`` with ``checks``)."""
    from vanguard.indicators import published

    cases = published.read_cases(published.SHIPPED)
    tuning = [c for c in cases if c.year in HELD_OUT_TUNE_YEARS]
    tested = [c for c in cases if c.year in HELD_OUT_TEST_YEARS]
    tuned = tune(tuning)
    result = report(
        tested,
        tuned.method,
        tuned_on={
            "file": published.SHIPPED.name,
            "years": list(HELD_OUT_TUNE_YEARS),
            "series": [c.name for c in tuning],
        },
        tuning_forecasts=tuned.forecasts,
        tuned_cases=tuning,
        unidentified=tuned.unidentified,
    )
    result["checks"] = checks(result)
    return result
