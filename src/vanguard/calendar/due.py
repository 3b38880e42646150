"""When the report for a scheduling period is due."""

from datetime import date

from vanguard.calendar.periods import Period
from vanguard.calendar.workdays import WorkCalendar


def due_date(period: Period, calendar: WorkCalendar, working_days_after: int = 1) -> date:
    """Return the n-th working day after the period ends (by default the first).

    Units report on a period once it is over, so the deadline counts working days
    from the day after ``period.end``: a dekad ending on 2025-10-10 (a working day)
    is due 2025-10-11, the make-up Saturday after National Day, and a dekad ending
    inside a holiday is due on the first working day after the holiday. Raises
    ``CalendarNotCovered`` when the count runs into a year whose arrangement is unknown.
    """
    return calendar.nth_working_day_after(period.end, working_days_after)
