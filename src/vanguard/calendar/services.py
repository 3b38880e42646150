"""Calendar built from the database."""

from vanguard.calendar.models import DayOverride, HolidayYear
from vanguard.calendar.workdays import WorkCalendar


def load_calendar() -> WorkCalendar:
    """Return the work calendar with the database's covered years and day overrides."""
    return WorkCalendar(
        overrides=dict(DayOverride.objects.values_list("date", "is_working_day")),
        extra_years=HolidayYear.objects.values_list("year", flat=True),
    )
