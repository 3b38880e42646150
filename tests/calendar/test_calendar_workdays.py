from datetime import date, datetime, timedelta

import pytest

from vanguard.calendar.workdays import CalendarNotCovered, WorkCalendar

# The State Council's published arrangements (国务院办公厅关于节假日安排的通知).
ARRANGEMENTS = [
    pytest.param(
        date(2024, 2, 10),
        date(2024, 2, 17),
        [date(2024, 2, 4), date(2024, 2, 18)],
        id="2024-spring-festival",
    ),
    pytest.param(
        date(2024, 5, 1),
        date(2024, 5, 5),
        [date(2024, 4, 28), date(2024, 5, 11)],
        id="2024-labour-day",
    ),
    pytest.param(
        date(2024, 10, 1),
        date(2024, 10, 7),
        [date(2024, 9, 29), date(2024, 10, 12)],
        id="2024-national-day",
    ),
    pytest.param(
        date(2025, 1, 28),
        date(2025, 2, 4),
        [date(2025, 1, 26), date(2025, 2, 8)],
        id="2025-spring-festival",
    ),
    pytest.param(date(2025, 5, 1), date(2025, 5, 5), [date(2025, 4, 27)], id="2025-labour-day"),
    pytest.param(
        date(2025, 10, 1),
        date(2025, 10, 8),
        [date(2025, 9, 28), date(2025, 10, 11)],
        id="2025-national-day",
    ),
    pytest.param(
        date(2026, 2, 15),
        date(2026, 2, 23),
        [date(2026, 2, 14), date(2026, 2, 28)],
        id="2026-spring-festival",
    ),
    pytest.param(date(2026, 5, 1), date(2026, 5, 5), [date(2026, 5, 9)], id="2026-labour-day"),
    pytest.param(
        date(2026, 10, 1),
        date(2026, 10, 7),
        [date(2026, 9, 20), date(2026, 10, 10)],
        id="2026-national-day",
    ),
]


def days(first, last):
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.fixture
def calendar():
    return WorkCalendar()


@pytest.mark.parametrize(("first", "last", "make_up"), ARRANGEMENTS)
def test_every_day_of_a_statutory_holiday_is_a_day_off(calendar, first, last, make_up):
    assert [d for d in days(first, last) if calendar.is_working_day(d)] == []


@pytest.mark.parametrize(("first", "last", "make_up"), ARRANGEMENTS)
def test_the_days_either_side_of_a_statutory_holiday_are_working_days(
    calendar, first, last, make_up
):
    assert calendar.is_working_day(first - timedelta(days=1))
    assert calendar.is_working_day(last + timedelta(days=1))


@pytest.mark.parametrize(("first", "last", "make_up"), ARRANGEMENTS)
def test_make_up_days_of_a_statutory_holiday_fall_on_weekends_and_are_worked(
    calendar, first, last, make_up
):
    for day in make_up:
        assert day.weekday() >= 5
        assert calendar.is_working_day(day)


def test_a_make_up_saturday_is_a_working_day_but_an_ordinary_saturday_is_not(calendar):
    assert calendar.is_working_day(date(2025, 2, 8))
    assert not calendar.is_working_day(date(2025, 2, 15))


def test_the_first_working_day_after_national_day_2025_is_october_9(calendar):
    assert calendar.next_working_day_after(date(2025, 9, 30)) == date(2025, 10, 9)


def test_the_third_working_day_after_national_day_2025_is_the_make_up_saturday(calendar):
    assert calendar.nth_working_day_after(date(2025, 9, 30), 3) == date(2025, 10, 11)


def test_n_must_be_at_least_one(calendar):
    with pytest.raises(ValueError):
        calendar.nth_working_day_after(date(2025, 9, 30), 0)


def test_october_2025_has_18_working_days(calendar):
    assert calendar.working_days_between(date(2025, 10, 1), date(2025, 10, 31)) == 18
    assert calendar.working_days_between(date(2025, 10, 9), date(2025, 10, 9)) == 1
    assert calendar.working_days_between(date(2025, 10, 31), date(2025, 10, 1)) == 0


def test_an_override_wins_over_the_package(calendar):
    overridden = WorkCalendar(overrides={date(2025, 10, 8): True, date(2025, 10, 9): False})

    assert not calendar.is_working_day(date(2025, 10, 8))
    assert overridden.is_working_day(date(2025, 10, 8))
    assert overridden.is_working_day(date(2025, 10, 7)) is False
    assert not overridden.is_working_day(date(2025, 10, 9))
    assert overridden.next_working_day_after(date(2025, 10, 8)) == date(2025, 10, 10)


def test_a_datetime_counts_as_its_date():
    overridden = WorkCalendar(overrides={datetime(2025, 10, 8, 9, 30): True})

    assert overridden.is_working_day(date(2025, 10, 8))
    assert overridden.is_working_day(datetime(2025, 10, 8, 18, 0))


def test_an_uncovered_year_gives_a_clear_error_in_chinese_and_english(calendar):
    assert not calendar.covers(2031)
    with pytest.raises(CalendarNotCovered) as excinfo:
        calendar.is_working_day(date(2031, 1, 6))

    assert excinfo.value.year == 2031
    assert "2031年的法定节假日安排尚未录入" in str(excinfo.value)
    assert "Holiday arrangement for 2031 is not known" in str(excinfo.value)
    assert isinstance(excinfo.value, ValueError)


def test_the_package_covers_2004_to_2026(calendar):
    assert calendar.covers(2004)
    assert calendar.covers(2026)
    assert not calendar.covers(2003)
    assert not calendar.covers(2027)


def test_counting_into_an_uncovered_year_fails_rather_than_guessing(calendar):
    with pytest.raises(CalendarNotCovered, match="2027年"):
        calendar.next_working_day_after(date(2026, 12, 31))


def test_an_extra_year_is_covered_with_monday_to_friday_working_days():
    calendar = WorkCalendar(extra_years=[2031], overrides={date(2031, 1, 1): False})

    assert calendar.covers(2031)
    assert not calendar.is_working_day(date(2031, 1, 1))
    assert calendar.is_working_day(date(2031, 1, 2))
    assert not calendar.is_working_day(date(2031, 1, 4))
    assert calendar.next_working_day_after(date(2031, 1, 3)) == date(2031, 1, 6)


def test_an_override_alone_does_not_make_its_year_covered():
    calendar = WorkCalendar(overrides={date(2031, 1, 2): True})

    with pytest.raises(CalendarNotCovered):
        calendar.is_working_day(date(2031, 1, 2))
