"""When a project's dekad report opens and falls due."""

from vanguard.calendar.due import due_date
from vanguard.calendar.periods import PeriodKind
from vanguard.calendar.services import load_calendar
from vanguard.calendar.workdays import CalendarNotCovered, WorkCalendar
from vanguard.org.queries import report_working_days


def dekad_due_date(campaign, period, calendar=None):
    """The due date of a dekad's report under the campaign's deadline rule.

    The last dekad of a year falls due in January, before the State Council may have
    published that year's holidays; then weekdays stand in for working days until the
    arrangement is entered (and the date moves only if January 1st-3rd shift).
    """
    calendar = calendar or load_calendar()
    after = report_working_days(campaign, PeriodKind.DEKAD)
    try:
        return due_date(period, calendar, after)
    except CalendarNotCovered as exc:
        estimate = WorkCalendar(overrides=None, extra_years=[exc.year])
        day = period.end
        for _ in range(after):
            day = estimate.next_working_day_after(day)
            while calendar.covers(day.year) and not calendar.is_working_day(day):
                day = estimate.next_working_day_after(day)
        return day
