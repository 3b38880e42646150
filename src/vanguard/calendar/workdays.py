"""Working days in mainland China: statutory holidays and make-up working days (调休).

Pure Python. The base arrangement comes from the ``chinese_calendar`` package; the
database adds years the package does not know yet and corrects single days.
"""

import functools
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

import chinese_calendar

ONE_DAY = timedelta(days=1)


# Statutory days off fixed to the Gregorian calendar by the State Council's holiday
# rules (全国年节及纪念日放假办法, as revised for 2025): New Year's Day, Labour Day and
# National Day. The other holidays follow the lunar calendar or a solar term, and every
# year's arrangement adds bridge days and make-up working days (调休) that nobody can
# know before the State Council publishes them; so a provisional count leaves them out
# and says so (暂定). See docs/decisions/0012-provisional-due-dates.md.
FIXED_DAYS_OFF = {
    (1, 1): "元旦",
    (5, 1): "劳动节",
    (5, 2): "劳动节",
    (10, 1): "国庆节",
    (10, 2): "国庆节",
    (10, 3): "国庆节",
}


class CalendarNotCovered(ValueError):
    """A date falls in a year whose holiday arrangement nobody has entered."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年的法定节假日安排尚未录入（chinese-calendar 软件包和数据库都未覆盖）"
            f" / Holiday arrangement for {year} is not known"
        )


@functools.cache
def package_covers(year: int) -> bool:
    """Tell whether the installed chinese_calendar package knows the year's arrangement."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Answers which days are working days, from package data, covered years and overrides."""

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        extra_years: Iterable[int] = (),
        *,
        provisional: bool = False,
    ):
        self._overrides = {_as_date(d): bool(v) for d, v in (overrides or {}).items()}
        self._extra_years = frozenset(extra_years)
        self.provisional = provisional

    def __repr__(self):
        return (
            f"<WorkCalendar extra_years={sorted(self._extra_years)}"
            f" overrides={len(self._overrides)} provisional={self.provisional}>"
        )

    def with_provisional(self) -> "WorkCalendar":
        """Return this calendar answering for unknown years too, by the provisional rule."""
        calendar = WorkCalendar(provisional=True)
        calendar._overrides, calendar._extra_years = self._overrides, self._extra_years
        return calendar

    def covers(self, year: int) -> bool:
        """Tell whether the holiday arrangement of the year is known."""
        return year in self._extra_years or package_covers(year)

    def is_working_day(self, d: date) -> bool:
        """Tell whether d is a working day.

        In a year whose arrangement is unknown, raise CalendarNotCovered; a provisional
        calendar answers instead with Monday to Friday minus the fixed-date holidays
        (and any day the database already declares).
        """
        d = _as_date(d)
        if not self.covers(d.year):
            # An override in an uncovered year is not enough for a final answer: the
            # days around it are unknown.
            if not self.provisional:
                raise CalendarNotCovered(d.year)
            if d in self._overrides:
                return self._overrides[d]
            return d.weekday() < 5 and (d.month, d.day) not in FIXED_DAYS_OFF
        if d in self._overrides:
            return self._overrides[d]
        if package_covers(d.year):
            return chinese_calendar.is_workday(d)
        return d.weekday() < 5

    def next_working_day_after(self, d: date) -> date:
        """Return the first working day strictly after d."""
        return self.nth_working_day_after(d, 1)

    def nth_working_day_after(self, d: date, n: int) -> date:
        """Return the n-th working day strictly after d (n >= 1)."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        day = _as_date(d)
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Count the working days from a to b, both included; 0 when b is before a."""
        a, b = _as_date(a), _as_date(b)
        count = 0
        day = a
        while day <= b:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count


def _as_date(d: date) -> date:
    """Drop the time of a datetime, which would otherwise never equal a date key."""
    return d.date() if isinstance(d, datetime) else d
