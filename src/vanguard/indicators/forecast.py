"""Forecast of an indicator's cumulative growth at a later month (存量、增量支撑).

Chinese statistics publish, for month N, the cumulative level of months 1..N and its
growth over the same months of last year (1-N月累计增长). The forecast reads what those
figures imply and carries it to the target month:

    last year's months  the weight each month has in the year: last year's cumulative
                        levels, recovered as level ÷ (1 + growth), or last year's stored
                        levels, or equal months when the indicator has no levels
                        (规上工业增加值, or GDP's quarters);
    recent months       the growth of the latest single months, implied by two
                        consecutive year-to-date figures (1-N月 and 1-(N-k)月);
    pace                a weighted mean of that recent growth and the year to date;
    base effect         (基数效应) where last year's figures are known: a month that
                        was weak last year grows faster this year, and a strong one
                        slower; the pace of each month to come is scaled by how last
                        year's same month compared with last year's months the pace was
                        measured on (the statistics' two-year mean, 两年平均, held in part);
    comparator          (the district against the city or the province) the district's
                        growth moves by a share of what the comparator's own forecast
                        moves from the same month;
    stock, increment    key enterprises' own expectation replaces the pace for their
                        share of the level, and projects starting production add their
                        increment (both given by the caller; they have no history to
                        backtest).

The settings (``Method``) are chosen by a backtest on officially published figures
(``indicators.backtest``, ``TUNED_ON``); a setting the tuning series cannot tell apart
takes the middle of its range. The naive forecast (the latest growth carried forward
unchanged) is the baseline the method must beat.
"""

import math
from dataclasses import dataclass, field, replace
from decimal import Decimal

# The pace's recent months run from the latest quarter's start (季度) instead of a count.
QUARTER = "quarter"


@dataclass(frozen=True)
class Method:
    """The forecast's settings: what the backtest chooses."""

    # The share of the recent single months in the pace (the rest is the year to date).
    weight: float = 0.5
    # How far back the recent months reach: 1 or 3 months, or to the quarter's start.
    window: object = 3
    # The share of last year's monthly swings expected to reverse (基数效应); 0: none,
    # 1: the two-year mean holds exactly.
    base_effect: float = 0.5
    # The share of the comparator's forecast move the district follows (0: none).
    relation: float = 0.0
    # Far out: the share of the recent months' lead over the year to date (fade) and of
    # the base effect (base_fade) kept for each further month ahead; 1: they hold. Not
    # tuned and 1 in the shipped settings: tuning on 2022 found no case for less, and
    # the held-out year cannot tell the values apart (docs/benchmarks.md, decision 0034).
    fade: float = 1.0
    base_fade: float = 1.0

    def describe(self):
        return {
            "weight": self.weight,
            "window": self.window,
            "base_effect": self.base_effect,
            "relation": self.relation,
            "fade": self.fade,
            "base_fade": self.base_fade,
        }


# The series the settings below were tuned on, named so a test on other years is honest.
TUNED_FILE = "published-growth-2022-2023.csv"
TUNED_YEARS = (2022, 2023)
TUNED_ON = "{} ({})".format(TUNED_FILE, "–".join(str(y) for y in TUNED_YEARS))
# Chosen by ``backtest.tune`` on every series of TUNED_FILE in TUNED_YEARS; a test keeps
# them equal to what the tuning finds.
TUNED = Method(weight=0.25, window=1, base_effect=0.5, relation=0.5)


@dataclass
class Series:
    """One indicator's cumulative figures for one area and year, by month number (1–12)."""

    level: dict = field(default_factory=dict)
    growth: dict = field(default_factory=dict)
    # Last year's cumulative levels and growth by month, where they are known.
    last_year_level: dict = field(default_factory=dict)
    last_year_growth: dict = field(default_factory=dict)

    def up_to(self, month):
        """The series as it stood when month ``month`` was the latest published."""
        return replace(
            self,
            level={m: v for m, v in self.level.items() if m <= month},
            growth={m: v for m, v in self.growth.items() if m <= month},
        )

    @property
    def latest(self):
        return max(self.growth) if self.growth else None

    @property
    def has_levels(self):
        return bool(_implied_base(self.level, self.growth))


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
    # What the pace was read from: the recent months' growth and the month they start after.
    recent: float | None = None
    window_start: int | None = None
    latest: int | None = None
    # Last year's months whose swings moved the forecast (基数效应), and by how much (points).
    base_effect: float = 0.0
    last_year_months: list = field(default_factory=list)
    # What following the comparator moved the forecast (points).
    relation: float = 0.0


def _f(value):
    return None if value is None else float(value)


def _implied_base(level, growth):
    """Last year's cumulative levels recovered from this year's level and growth."""
    base = {}
    for m, value in level.items():
        g = growth.get(m)
        if value is not None and g is not None and float(g) > -100 and float(value) > 0:
            base[m] = float(value) / (1 + float(g) / 100)
    return base


def _interpolate(points, month):
    """A cumulative amount at ``month`` from known ``{month: amount}`` (0 at month 0).

    Straight lines between known months; past the last, the mean month so far.
    """
    if month in points:
        return points[month]
    known = sorted({0: 0.0, **points}.items())
    for (m0, v0), (m1, v1) in zip(known, known[1:], strict=False):
        if m0 < month < m1:
            return v0 + (v1 - v0) * (month - m0) / (m1 - m0)
    last_month, last_value = known[-1]
    if last_month == 0:
        return float(month)
    return last_value * month / last_month


def _curve(points):
    """``_interpolate`` at months 0..12 at once (one sort, not thirteen)."""
    known = sorted({0: 0.0, **points}.items())
    last_month, last_value = known[-1]
    curve, i = [], 0
    for month in range(13):
        while i + 1 < len(known) and known[i + 1][0] <= month:
            i += 1
        m0, v0 = known[i]
        if m0 == month:
            curve.append(v0)
        elif i + 1 < len(known):
            m1, v1 = known[i + 1]
            curve.append(v0 + (v1 - v0) * (month - m0) / (m1 - m0))
        else:
            curve.append(float(month) if last_month == 0 else last_value * month / last_month)
    return curve


def base_profile(level, growth, prior=None):
    """Last year's cumulative level at months 0..12 (a list of 13).

    From this year's level ÷ (1 + growth) where both are published; other months take
    the shape of ``prior`` (last year's stored levels), scaled to agree at the latest
    month both know; without any level, every month weighs the same.
    """
    implied = _implied_base(level, growth)
    prior = {m: float(v) for m, v in (prior or {}).items() if v is not None and float(v) > 0}
    if not implied and not prior:
        return [float(m) for m in range(13)]
    points = {}
    if prior:
        factor = 1.0
        if implied:
            common = [m for m in implied if m in prior]
            anchor = max(common) if common else max(implied)
            factor = implied[anchor] / _interpolate(prior, anchor)
        points = {m: v * factor for m, v in prior.items()}
    points.update(implied)
    profile = _curve(points)
    if any(b <= a for a, b in zip(profile, profile[1:], strict=False)):
        # Levels that disagree with each other: keep the recovered ones, months between.
        profile = _curve(implied or prior)
        if any(b <= a for a, b in zip(profile, profile[1:], strict=False)):
            return [float(m) for m in range(13)]
    return profile


class Cumulative:
    """A year's cumulative growth on a base profile, readable at any month it covers.

    ``index(m)`` is the year's cumulative amount in the base's units; between published
    months it runs straight, so a span's single months share the span's growth.
    """

    def __init__(self, growth, profile):
        self.profile = profile
        self.points = {m: profile[m] * (1 + float(g) / 100) for m, g in growth.items()}
        self.last = max(self.points, default=0)

    def index(self, month):
        if month > self.last:
            return None
        return _interpolate(self.points, month) if month else 0.0

    def growth_at(self, month):
        """Cumulative growth (%) at ``month`` (interpolated between published months)."""
        value = self.index(month)
        if value is None or month == 0:
            return None
        return (value / self.profile[month] - 1) * 100

    def span(self, start, end):
        """Growth (%) of the months after ``start`` up to ``end`` over the same months before."""
        a, b = self.index(start), self.index(end)
        if a is None or b is None or end <= start:
            return None
        return ((b - a) / (self.profile[end] - self.profile[start]) - 1) * 100


def window_start(months, latest, window):
    """The published month the recent months start after (0: the year's start)."""
    edge = 3 * math.ceil(latest / 3) - 3 if window == QUARTER else latest - int(window)
    earlier = [m for m in months if m <= edge]
    return max(earlier) if earlier else 0


def _last_year(series, profile):
    """Last year's cumulative growth on last year's own base, or None when not known."""
    growth = {m: g for m, g in series.last_year_growth.items() if g is not None}
    if not growth:
        return None
    # Two years ago's shape: from last year's levels and growth, else last year's own.
    prior = {m: profile[m] for m in range(1, 13)}
    before = base_profile(series.last_year_level, growth, prior)
    return Cumulative(growth, before)


def project(
    series,
    month,
    method=TUNED,
    increment=0.0,
    stock_pace=None,
    stock_share=0.0,
    companion=None,
):
    """Forecast the cumulative growth at ``month`` from the figures in ``series``.

    ``increment`` is added to the level (indicators with levels only). ``stock_pace`` is
    the growth (%) key enterprises expect for the rest of the year; it replaces the
    trend's pace for their ``stock_share`` of last year's level. ``companion`` is the
    comparator area's series of the same indicator (``Method.relation``).
    """
    latest = series.latest
    if latest is None:
        raise ValueError("no figures to forecast from")
    growth_now = float(series.growth[latest])
    if month <= latest:
        return Projection(month=month, growth=growth_now, method="published", latest=latest)
    with_levels = latest in _implied_base(series.level, series.growth)
    profile = base_profile(series.level, series.growth, series.last_year_level)
    this_year = Cumulative(series.growth, profile)
    start = window_start(sorted(series.growth), latest, method.window)
    recent = this_year.span(start, latest)
    pace = (1 - method.weight) * growth_now + method.weight * recent
    share = min(max(stock_share, 0.0), 1.0) if stock_pace is not None else 0.0

    last_year = _last_year(series, profile) if method.base_effect else None
    before_now = before_recent = None
    if last_year is not None:
        before_now, before_recent = last_year.growth_at(latest), last_year.span(start, latest)
    known_before = before_now is not None and before_recent is not None
    # The level with everything; the trend alone (what the comparator's move corrects);
    # and without the base effect (to say what the base effect added).
    level = trend = plain = this_year.index(latest)
    swung = []
    for m in range(latest + 1, month + 1):
        weight = profile[m] - profile[m - 1]
        # The recent months' weight shrinks by ``fade`` each further month ahead (damped trend).
        recent_weight = method.weight * method.fade ** (m - latest - 1)
        paced = (1 - recent_weight) * growth_now + recent_weight * recent
        monthly = paced
        before = last_year.span(m - 1, m) if known_before else None
        if before is not None and before > -100:
            # Last year's months the pace was read from, weighed as the pace weighs them.
            reference = (1 - recent_weight) * before_now + recent_weight * before_recent
            ratio = (1 + reference / 100) / (1 + before / 100)
            swing = method.base_effect * method.base_fade ** (m - latest - 1)
            monthly = ((1 + paced / 100) * ratio**swing - 1) * 100
            swung.append(m)
        trend += weight * (1 + monthly / 100)
        if share:
            level += weight * (1 + ((1 - share) * monthly + share * stock_pace) / 100)
            plain += weight * (1 + ((1 - share) * paced + share * stock_pace) / 100)
        else:
            level += weight * (1 + monthly / 100)
            plain += weight * (1 + paced / 100)
    base = profile[month]
    growth = (level / base - 1) * 100
    projection = Projection(
        month=month,
        growth=growth,
        pace=pace,
        method="levels" if with_levels else "growth",
        stock_pace=stock_pace,
        stock_share=share,
        recent=recent,
        window_start=start,
        latest=latest,
        base_effect=growth - (plain / base - 1) * 100,
        last_year_months=swung,
    )
    moved = _follow(companion, latest, month, method) if method.relation else None
    if moved is not None:
        # Only the statistics' own trend moves with the comparator's: the key enterprises'
        # expectations stay as they are.
        projection.relation = method.relation * (moved - ((trend / base - 1) * 100 - growth_now))
        projection.growth += projection.relation
    if with_levels:
        projection.base = base
        projection.level = base * (1 + projection.growth / 100) + float(increment)
        projection.stock = projection.level - float(increment) - float(series.level[latest])
        projection.increment = float(increment)
        projection.growth = (projection.level / base - 1) * 100
    return projection


def _follow(companion, latest, month, method):
    """How far the comparator's own forecast moves from ``latest`` to ``month`` (points),
    or None when it has not published ``latest``."""
    if companion is None:
        return None
    theirs = companion.up_to(latest)
    if theirs.latest != latest:
        return None
    then = project(theirs, month, replace(method, relation=0.0)).growth
    return then - float(theirs.growth[latest])


def naive(series, month):
    """The baseline: the latest cumulative growth carried forward unchanged."""
    return float(series.growth[series.latest])


def normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def probability_above(forecast, threshold, spread, *, strictly=False):
    """P(outcome ≥ threshold) when the outcome is normal around ``forecast``."""
    if spread <= 0:
        return 1.0 if forecast > threshold or (not strictly and forecast == threshold) else 0.0
    return normal_cdf((forecast - threshold) / spread)


def as_decimal(value, places=2):
    return None if value is None else Decimal(str(round(value, places)))
