"""When the report for a scheduling period is due."""

from dataclasses import dataclass
from datetime import date, timedelta

from vanguard.calendar.periods import Period
from vanguard.calendar.workdays import WorkCalendar


@dataclass(frozen=True)
class Due:
    """A due date, and whether it was counted over days of a year whose holidays are unknown.

    A provisional date (暂定) counts Monday to Friday minus the fixed-date holidays in
    such a year; it becomes final once that year's arrangement is entered.
    """

    day: date
    provisional: bool = False


def due_date(period: Period, calendar: WorkCalendar, working_days_after: int = 1) -> date:
    """Return the n-th working day after the period ends (by default the first).

    Units report on a period once it is over, so the deadline counts working days
    from the day after ``period.end``: a dekad ending on 2025-10-10 (a working day)
    is due 2025-10-11, the make-up Saturday after National Day, and a dekad ending
    inside a holiday is due on the first working day after the holiday. Raises
    ``CalendarNotCovered`` when the count runs into a year whose arrangement is unknown.
    """
    return calendar.nth_working_day_after(period.end, working_days_after)


def due(period: Period, calendar: WorkCalendar, working_days_after: int = 1) -> Due:
    """Return the due date of the period's report, provisional where holidays are unknown.

    The one place that decides what happens beyond the years whose arrangement is known:
    the December reports fall due in January, before the arrangement of the new year
    may have been entered, and still get a date to be late against.
    """
    return working_day_after(period.end, calendar, working_days_after)


def working_day_after(day: date, calendar: WorkCalendar, n: int = 1) -> Due:
    """Return the n-th working day after ``day`` (``day`` itself when n is 0), provisional
    when any day counted lies in a year whose arrangement is unknown."""
    end = calendar.with_provisional().nth_working_day_after(day, n) if n > 0 else day
    first = day + timedelta(days=1)
    provisional = n > 0 and any(
        not calendar.covers(year) for year in range(first.year, end.year + 1)
    )
    return Due(end, provisional)
