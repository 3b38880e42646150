"""When a project's dekad report opens and falls due."""

from vanguard.calendar.due import Due, due
from vanguard.calendar.periods import PeriodKind
from vanguard.calendar.services import load_calendar
from vanguard.org.queries import report_working_days


def dekad_due(campaign, period, calendar=None) -> Due:
    """The due date of a dekad's report under the campaign's deadline rule.

    The last dekad of a year falls due in January, before that year's holidays may be
    entered; the calendar then gives a provisional date (暂定) that becomes final when
    the arrangement is entered.
    """
    calendar = calendar or load_calendar()
    return due(period, calendar, report_working_days(campaign, PeriodKind.DEKAD))


def dekad_due_date(campaign, period, calendar=None):
    """The day a dekad's report falls due, provisional or not."""
    return dekad_due(campaign, period, calendar).day
