"""Scheduling periods: ISO weeks, dekads (旬), months, quarters and years.

Pure Python so that importers, reports and jobs can use it without Django.
"""

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from vanguard.core.years import FIRST_YEAR, LAST_YEAR

ONE_DAY = timedelta(days=1)
DEKAD_NAMES = {1: "上旬", 2: "中旬", 3: "下旬"}
QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


class YearOutOfRange(ValueError):
    """A year no campaign can be scheduled in (year 0, year 1, a number too large)."""

    def __init__(self, year):
        self.year = year
        super().__init__(
            f"年份 {year} 超出范围，应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间"
            f" / Year {year} is out of range; use {FIRST_YEAR} to {LAST_YEAR}"
        )


def check_year(year: int) -> int:
    """Return ``year`` when a schedule can name it; raise YearOutOfRange otherwise."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise YearOutOfRange(year)
    return year


class PeriodKind(enum.StrEnum):
    """How long one scheduling period lasts."""

    WEEK = "week"
    DEKAD = "dekad"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def _month_end(year: int, month: int) -> date:
    """Return the last day of a month."""
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - ONE_DAY


def _bounds(kind: PeriodKind, d: date) -> tuple[date, date]:
    """Return the first and last day of the period of this kind that holds d."""
    if kind is PeriodKind.WEEK:
        start = d - timedelta(days=d.weekday())
        return start, start + timedelta(days=6)
    if kind is PeriodKind.DEKAD:
        if d.day <= 10:
            return d.replace(day=1), d.replace(day=10)
        if d.day <= 20:
            return d.replace(day=11), d.replace(day=20)
        return d.replace(day=21), _month_end(d.year, d.month)
    if kind is PeriodKind.MONTH:
        return d.replace(day=1), _month_end(d.year, d.month)
    if kind is PeriodKind.QUARTER:
        first_month = 3 * ((d.month - 1) // 3) + 1
        return date(d.year, first_month, 1), _month_end(d.year, first_month + 2)
    return date(d.year, 1, 1), date(d.year, 12, 31)


@dataclass(frozen=True)
class Period:
    """One scheduling period; end is inclusive."""

    kind: PeriodKind
    start: date
    end: date

    def __post_init__(self):
        # A period built by hand must be a real one, or its label would lie.
        object.__setattr__(self, "kind", PeriodKind(self.kind))
        if _bounds(self.kind, self.start) != (self.start, self.end):
            raise ValueError(
                f"{self.start} 至 {self.end} 不是一个{self.kind}周期 / {self.start} to {self.end} is not a {self.kind} period"
            )

    @property
    def label(self) -> str:
        """Machine label, e.g. 2025-W01, 2025-01-D1, 2025-01, 2025-Q1, 2025."""
        s = self.start
        if self.kind is PeriodKind.WEEK:
            iso = s.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}"
        if self.kind is PeriodKind.DEKAD:
            return f"{s.year:04d}-{s.month:02d}-D{_dekad_number(s)}"
        if self.kind is PeriodKind.MONTH:
            return f"{s.year:04d}-{s.month:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{s.year:04d}-Q{_quarter_number(s)}"
        return f"{s.year:04d}"

    @property
    def display_label(self) -> str:
        """Chinese label, e.g. 2025年第1周, 2025年1月上旬, 2025年第一季度."""
        s = self.start
        if self.kind is PeriodKind.WEEK:
            iso = s.isocalendar()
            return f"{iso.year}年第{iso.week}周"
        if self.kind is PeriodKind.DEKAD:
            return f"{s.year}年{s.month}月{DEKAD_NAMES[_dekad_number(s)]}"
        if self.kind is PeriodKind.MONTH:
            return f"{s.year}年{s.month}月"
        if self.kind is PeriodKind.QUARTER:
            return f"{s.year}年第{QUARTER_NAMES[_quarter_number(s)]}季度"
        return f"{s.year}年"

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    def contains(self, d: date) -> bool:
        """Tell whether d falls within the period."""
        return self.start <= d <= self.end

    def next(self) -> "Period":
        """Return the period of the same kind that follows this one."""
        return period_containing(self.kind, self.end + ONE_DAY)

    def previous(self) -> "Period":
        """Return the period of the same kind that precedes this one."""
        return period_containing(self.kind, self.start - ONE_DAY)

    def __str__(self):
        return self.label


def _dekad_number(d: date) -> int:
    """Return 1, 2 or 3 for the dekad of the month that holds d."""
    return min((d.day - 1) // 10 + 1, 3)


def _quarter_number(d: date) -> int:
    """Return the quarter (1–4) that holds d."""
    return (d.month - 1) // 3 + 1


def period_containing(kind: PeriodKind | str, d: date) -> Period:
    """Return the period of the given kind that holds d."""
    kind = PeriodKind(kind)
    start, end = _bounds(kind, d)
    return Period(kind, start, end)


def periods_between(kind: PeriodKind | str, start: date, end: date) -> list[Period]:
    """Return the periods of a kind that overlap start–end (inclusive), in order."""
    if end < start:
        return []
    return list(_iterate(period_containing(kind, start), lambda p: p.start <= end))


def month_periods_between(start: date, end: date) -> list[Period]:
    """Return the months that overlap start–end (inclusive), in order."""
    return periods_between(PeriodKind.MONTH, start, end)


def periods_of_year(kind: PeriodKind | str, year: int) -> list[Period]:
    """Return the periods of a year in order; weeks are the ISO weeks of ISO year `year`."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.WEEK:
        first = period_containing(kind, date.fromisocalendar(year, 1, 1))
        return list(_iterate(first, lambda p: p.start.isocalendar().year == year))
    first = period_containing(kind, date(year, 1, 1))
    return list(_iterate(first, lambda p: p.start.year == year))


def _iterate(first: Period, keep_going) -> Iterator[Period]:
    """Yield first and its successors while keep_going(period) holds."""
    period = first
    while keep_going(period):
        yield period
        if period.end == date.max:
            return
        period = period.next()


LABEL_PATTERNS = [
    (PeriodKind.WEEK, re.compile(r"(?P<year>[0-9]{4})-W(?P<n>[0-9]{2})")),
    (PeriodKind.DEKAD, re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-D(?P<n>[1-3])")),
    (PeriodKind.MONTH, re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})")),
    (PeriodKind.QUARTER, re.compile(r"(?P<year>[0-9]{4})-Q(?P<n>[1-4])")),
    (PeriodKind.YEAR, re.compile(r"(?P<year>[0-9]{4})")),
]


def parse_label(label: str) -> Period:
    """Return the period a machine label names; the inverse of Period.label."""
    found = next(
        ((kind, match) for kind, pattern in LABEL_PATTERNS if (match := pattern.fullmatch(label))),
        None,
    )
    if found is None:
        raise ValueError(
            f"无法识别的周期标签 {label!r}，应形如 2025、2025-Q1、2025-01、2025-01-D1 或 2025-W01"
            f" / Not a period label: {label!r}; expected e.g. 2025, 2025-Q1, 2025-01, 2025-01-D1"
            " or 2025-W01"
        )
    kind, match = found
    parts = {key: int(value) for key, value in match.groupdict().items()}
    year = parts["year"]
    try:
        if kind is PeriodKind.WEEK:
            start = date.fromisocalendar(year, parts["n"], 1)
        elif kind is PeriodKind.DEKAD:
            start = date(year, parts["month"], 10 * (parts["n"] - 1) + 1)
        elif kind is PeriodKind.MONTH:
            start = date(year, parts["month"], 1)
        elif kind is PeriodKind.QUARTER:
            start = date(year, 3 * (parts["n"] - 1) + 1, 1)
        else:
            start = date(year, 1, 1)
    except ValueError as exc:
        raise ValueError(
            f"周期标签 {label!r} 不存在 / Period label {label!r} names no real period ({exc})"
        ) from None
    return period_containing(kind, start)
