from datetime import date

import pytest

from vanguard.calendar.due import due_date
from vanguard.calendar.periods import parse_label
from vanguard.calendar.workdays import CalendarNotCovered, WorkCalendar


@pytest.fixture
def calendar():
    return WorkCalendar()


def test_the_last_dekad_of_september_2025_is_due_after_national_day(calendar):
    assert due_date(parse_label("2025-09-D3"), calendar) == date(2025, 10, 9)


def test_a_dekad_ending_on_a_holiday_is_due_after_the_holiday(calendar):
    # 2025-01-31 is inside the Spring Festival break (Jan 28 – Feb 4).
    assert due_date(parse_label("2025-01-D3"), calendar) == date(2025, 2, 5)
    # 2026-02-20 is inside the Spring Festival break (Feb 15 – Feb 23).
    assert due_date(parse_label("2026-02-D2"), calendar) == date(2026, 2, 24)


def test_a_dekad_ending_before_a_make_up_saturday_is_due_that_saturday(calendar):
    assert due_date(parse_label("2025-10-D1"), calendar) == date(2025, 10, 11)


def test_the_fourth_quarter_of_2025_is_due_on_the_make_up_sunday_of_new_year_2026(calendar):
    assert due_date(parse_label("2025-Q4"), calendar) == date(2026, 1, 4)


def test_a_later_due_date_counts_working_days_not_calendar_days(calendar):
    assert due_date(parse_label("2025-09"), calendar, working_days_after=2) == date(2025, 10, 10)
    assert due_date(parse_label("2025-09"), calendar, working_days_after=3) == date(2025, 10, 11)


def test_a_due_date_in_an_uncovered_year_is_an_error(calendar):
    with pytest.raises(CalendarNotCovered):
        due_date(parse_label("2026-12"), calendar)
