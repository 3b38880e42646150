"""Calendar built from the database, and what follows when its holidays change."""

import datetime

from vanguard.calendar.models import DayOverride, HolidayYear
from vanguard.calendar.workdays import WorkCalendar
from vanguard.core.compiled import Compiled

# From this day of a year on, the office is reminded to enter the next year's holidays
# (the State Council usually publishes them in November).
REMIND_FROM = (11, 1)

_recounts = []


# Every report filed reads the calendar to date its due day: the SQL is written once.
_OVERRIDES = Compiled(lambda: DayOverride.objects.values_list("date", "is_working_day"))
_YEARS = Compiled(lambda: HolidayYear.objects.values_list("year"))


def load_calendar() -> WorkCalendar:
    """Return the work calendar with the database's covered years and day overrides."""
    return WorkCalendar(
        overrides=dict(_OVERRIDES.rows()),
        extra_years=[year for (year,) in _YEARS.rows()],
    )


def missing_next_year(today: datetime.date, calendar: WorkCalendar | None = None) -> int | None:
    """Return next year when its holidays are still unknown on or after 1 November."""
    if (today.month, today.day) < REMIND_FROM:
        return None
    calendar = calendar or load_calendar()
    return None if calendar.covers(today.year + 1) else today.year + 1


def on_holidays_changed(recount):
    """Register ``recount(years, *, actor)``, run when the holidays of years change.

    Domains that store due dates register here in ``AppConfig.ready()``, so the
    calendar never imports them.
    """
    _recounts.append(recount)
    return recount


def holidays_changed(years, *, actor):
    """Let every registered domain count its stored due dates again; call in the transaction."""
    for recount in _recounts:
        recount(frozenset(years), actor=actor)
