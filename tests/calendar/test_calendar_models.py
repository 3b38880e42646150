from datetime import date

import pytest
from django.utils import translation

from vanguard.calendar.models import DayOverride, HolidayYear
from vanguard.calendar.services import load_calendar
from vanguard.calendar.workdays import CalendarNotCovered

pytestmark = pytest.mark.django_db


def test_a_database_override_wins_over_the_package():
    DayOverride.objects.create(date=date(2025, 10, 9), is_working_day=False, name="国庆节")
    DayOverride.objects.create(date=date(2025, 10, 8), is_working_day=True, name="国庆节")

    calendar = load_calendar()

    assert not calendar.is_working_day(date(2025, 10, 9))
    assert calendar.is_working_day(date(2025, 10, 8))
    assert calendar.next_working_day_after(date(2025, 9, 30)) == date(2025, 10, 8)


def test_a_holiday_year_row_makes_an_uncovered_year_covered():
    with pytest.raises(CalendarNotCovered):
        load_calendar().is_working_day(date(2031, 1, 6))

    HolidayYear.objects.create(year=2031, note="国办发〔2030〕")
    DayOverride.objects.create(date=date(2031, 1, 1), is_working_day=False, name="元旦")

    calendar = load_calendar()
    assert calendar.covers(2031)
    assert not calendar.is_working_day(date(2031, 1, 1))
    assert calendar.is_working_day(date(2031, 1, 2))


def test_loading_the_calendar_takes_two_queries(django_assert_num_queries):
    HolidayYear.objects.create(year=2031)
    DayOverride.objects.create(date=date(2031, 1, 1), is_working_day=False)
    DayOverride.objects.create(date=date(2031, 1, 2), is_working_day=False)

    with django_assert_num_queries(2):
        load_calendar()


def test_models_read_well_in_lists():
    spring = DayOverride(date=date(2031, 1, 25), is_working_day=True, name="春节")
    plain = DayOverride(date=date(2031, 1, 2), is_working_day=False)

    with translation.override("en"):
        assert str(HolidayYear(year=2031)) == "2031"
        assert str(spring) == "2031-01-25 春节 (working day)"
        assert str(plain) == "2031-01-02 (day off)"
