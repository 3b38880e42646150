"""The trajectory of a target (以月保季、以季保年): where it should stand at each month and quarter.

A count target is cumulative: nothing at the start of its period, its value at the end,
and in between a straight line by days through the values the plan pins (e.g. the year
target of 230 introduced projects pins 100 at the end of Q1, because the plan's Q1
target says so). A growth target's cumulative rate must not fall below the target rate
at any point, so every checkpoint carries the rate itself. A relative target ("above
the province and the city") has no number of its own, so it has no checkpoints.

Pure Python over ``vanguard.calendar.periods``, so the loader, pace and tests share it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from vanguard.calendar.periods import Period, PeriodKind, parse_label, periods_between

CENT = Decimal("0.01")
ONE_DAY = timedelta(days=1)
# Checkpoints are kept for these period kinds: months secure the quarter, quarters the year.
CHECKPOINT_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER)

# Target kinds, spelt as in vanguard.targets.choices.TargetKind, repeated here so this
# module stays free of Django.
COUNT = "count"
GROWTH = "growth"
RELATIVE = "relative"


@dataclass(frozen=True)
class PlannedCheckpoint:
    """Where a target should stand at the end of one month or quarter of its period."""

    period: Period
    value: Decimal

    @property
    def period_kind(self) -> str:
        """The kind of the period, "month" or "quarter"."""
        return str(self.period.kind)

    @property
    def label(self) -> str:
        """The period's machine label, e.g. 2026-03 or 2026-Q1."""
        return self.period.label

    @property
    def end_date(self) -> date:
        """The last day of the period, by which the value is due."""
        return self.period.end


def quantize(value: Decimal) -> Decimal:
    """Round to the two decimals a checkpoint stores, halves away from zero."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def checkpoint_periods(start: date, end: date) -> list[Period]:
    """Months and quarters lying wholly inside start–end, ordered by end date, months first."""
    periods = [
        period
        for kind in CHECKPOINT_KINDS
        for period in periods_between(kind, start, end)
        if period.start >= start and period.end <= end
    ]
    # A month and a quarter ending the same day hold the same value; list the month first.
    return sorted(periods, key=lambda p: (p.end, CHECKPOINT_KINDS.index(p.kind)))


def pin_points(
    start: date, end: date, pins: Mapping[str, Decimal] | None
) -> list[tuple[date, Decimal]]:
    """Turn pins keyed by period label into (end date, value) points; ValueError if one lies outside."""
    points = []
    for label, value in (pins or {}).items():
        period = parse_label(str(label))
        if period.start < start or period.end > end:
            raise ValueError(
                f"钉住的周期 {label} 不在 {start} 至 {end} 之内 / pinned period {label} is not inside {start} to {end}"
            )
        points.append((period.end, Decimal(value)))
    return sorted(points)


def knots(
    start: date, end: date, value: Decimal, points: Iterable[tuple[date, Decimal]] = ()
) -> list[tuple[date, Decimal]]:
    """The corners of a count target's cumulative line: 0 the day before start, value at end."""
    corners = {start - ONE_DAY: Decimal(0)}
    for day, amount in points:
        if day == end and Decimal(amount) != Decimal(value):
            raise ValueError(
                f"期末钉住值 {amount} 不等于目标值 {value} / the value pinned at the end, {amount}, is not the"
                f" target value {value}"
            )
        if start <= day < end:
            corners[day] = Decimal(amount)
    corners[end] = Decimal(value)
    ordered = sorted(corners.items())
    for (_, earlier), (day, later) in zip(ordered, ordered[1:], strict=False):
        if later < earlier:
            raise ValueError(f"累计值在 {day} 下降 / the cumulative value falls at {day}")
    return ordered


def interpolate(corners: list[tuple[date, Decimal]], day: date) -> Decimal:
    """Value of the line through corners at the end of day, flat outside them (unrounded)."""
    if day <= corners[0][0]:
        return corners[0][1]
    for (d0, v0), (d1, v1) in zip(corners, corners[1:], strict=False):
        if day <= d1:
            return v0 + (v1 - v0) * Decimal((day - d0).days) / Decimal((d1 - d0).days)
    return corners[-1][1]


def plan_checkpoints(
    *,
    kind: str,
    start: date,
    end: date,
    value: Decimal | None,
    pins: Mapping[str, Decimal] | None = None,
) -> list[PlannedCheckpoint]:
    """Checkpoints of a target for every month and quarter inside start–end."""
    if kind == RELATIVE or value is None:
        return []
    periods = checkpoint_periods(start, end)
    if kind == GROWTH:
        if pins:
            raise ValueError("增速目标不能钉住中间值 / a growth target takes no pinned values")
        rate = quantize(Decimal(value))
        return [PlannedCheckpoint(period, rate) for period in periods]
    if kind != COUNT:
        raise ValueError(f"未知的目标类型 {kind!r} / unknown target kind {kind!r}")
    corners = knots(start, end, Decimal(value), pin_points(start, end, pins))
    return [PlannedCheckpoint(p, quantize(interpolate(corners, p.end))) for p in periods]


def checkpoints_for(target, pins: Mapping[str, Decimal] | None = None) -> list[PlannedCheckpoint]:
    """Checkpoints of a Target (or anything with kind, period_start, period_end and value)."""
    return plan_checkpoints(
        kind=str(target.kind),
        start=target.period_start,
        end=target.period_end,
        value=target.value,
        pins=pins,
    )
