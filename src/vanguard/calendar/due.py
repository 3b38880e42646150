"""When the report for a scheduling period is due: the one count of working days after a date.

Every deadline counts here (a dekad report's due date, the light engine's warning
window, the indicators' data deadline): ``working_day_after`` counts the n-th working
day after a date and, beyond the years whose holiday arrangement is known, counts
provisionally (docs/decisions/0012-provisional-due-dates.md).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from vanguard.calendar.periods import Period
from vanguard.calendar.workdays import WorkCalendar


@dataclass(frozen=True)
class Due:
    """A due date, and the years of unknown holidays it was counted over, if any.

    In such a year the count is provisional (暂定): Monday to Friday minus the
    fixed-date holidays and any day the database declares; it becomes final once that
    year's arrangement is entered.
    """

    day: date
    unknown_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.unknown_years)


def due(period: Period, calendar: WorkCalendar, working_days_after: int = 1) -> Due:
    """Return the due date of the period's report: the n-th working day after it ends.

    Units report on a period once it is over, so the deadline counts working days from
    the day after ``period.end``: a dekad ending on 2025-10-10 (a working day) is due
    2025-10-11, the make-up Saturday after National Day, and a dekad ending inside a
    holiday is due on the first working day after the holiday. December's reports fall
    due in January, before the new year's arrangement may be entered, and still get a
    (provisional) date to be late against.
    """
    return working_day_after(period.end, calendar, working_days_after)


def working_day_after(day: date, calendar: WorkCalendar, n: int = 1) -> Due:
    """Return the n-th working day after ``day`` (``day`` itself when n is 0), provisional
    when any day counted lies in a year whose arrangement is unknown."""
    if n <= 0:
        return Due(day)
    end = calendar.with_provisional().nth_working_day_after(day, n)
    first = day + timedelta(days=1)
    unknown = tuple(y for y in range(first.year, end.year + 1) if not calendar.covers(y))
    return Due(end, unknown)
