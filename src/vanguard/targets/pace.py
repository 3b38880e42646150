"""Pace: where a target should stand on a given day, and how far the actual figure is behind.

The expected value follows the target's stored checkpoints, so a plan that pins the
first quarter (100 of 230 projects by 31 March) is judged against that bend, not a
straight line. Read the checkpoints with ``prefetch_related("checkpoints")`` when
judging many targets: this module only calls ``target.checkpoints.all()``.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from vanguard.targets.trajectory import (
    COUNT,
    GROWTH,
    ONE_DAY,
    checkpoints_for,
    interpolate,
    quantize,
)

RATIO_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class PaceReport:
    """A target's expected and actual value on a day; a positive gap means behind."""

    on: date
    expected: Decimal | None
    actual: Decimal | None
    gap: Decimal | None
    ratio: Decimal | None

    @property
    def behind(self) -> bool:
        """Tell whether the actual figure is short of the expected one."""
        return self.gap is not None and self.gap > 0


def _checkpoint_points(target) -> list[tuple[date, Decimal]]:
    """(end date, value) of the target's checkpoints; computed ones for an unsaved target."""
    if target.pk is None:
        return [(c.end_date, c.value) for c in checkpoints_for(target)]
    return [(c.end_date, c.value) for c in target.checkpoints.all()]


def _corners(target) -> list[tuple[date, Decimal]]:
    """The cumulative line of a count target: 0 before its start, checkpoints, value at its end."""
    start, end = target.period_start, target.period_end
    corners = {start - ONE_DAY: Decimal(0)}
    for day, value in _checkpoint_points(target):
        if start <= day < end:
            corners[day] = Decimal(value)
    # The target's own value wins at the end, even if a stored checkpoint lags an edit.
    corners[end] = Decimal(target.value)
    return sorted(corners.items())


def expected_at(target, on: date) -> Decimal | None:
    """The value the target should have reached by the end of day ``on``; None if it has none."""
    if isinstance(on, datetime):
        on = on.date()
    if target.value is None:
        return None
    kind = str(target.kind)
    if kind == GROWTH:
        # A growth rate is owed from the first day of its period, never before.
        return None if on < target.period_start else quantize(Decimal(target.value))
    if kind != COUNT:
        return None
    return quantize(interpolate(_corners(target), on))


def pace_report(target, actual, on: date) -> PaceReport:
    """Compare an actual figure with the expected one on a day."""
    expected = expected_at(target, on)
    actual = None if actual is None else Decimal(actual)
    if expected is None or actual is None:
        return PaceReport(on, expected, actual, None, None)
    ratio = None
    if expected != 0:
        ratio = (actual / expected).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
    return PaceReport(on, expected, actual, expected - actual, ratio)
