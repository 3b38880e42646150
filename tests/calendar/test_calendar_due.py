from datetime import date

import chinese_calendar
import pytest

from vanguard.calendar.due import Due, due, working_day_after
from vanguard.calendar.periods import PeriodKind, parse_label, period_containing
from vanguard.calendar.workdays import WorkCalendar, package_covers
from vanguard.indicators.lights import month_due_date
from vanguard.projects.deadlines import dekad_due
from vanguard.supervision.lights import warning_date


@pytest.fixture
def calendar():
    return WorkCalendar()


def final(period, calendar, working_days_after=1):
    when = due(parse_label(period), calendar, working_days_after)
    assert not when.provisional
    return when.day


def test_the_last_dekad_of_september_2025_is_due_after_national_day(calendar):
    assert final("2025-09-D3", calendar) == date(2025, 10, 9)


def test_a_dekad_ending_on_a_holiday_is_due_after_the_holiday(calendar):
    # 2025-01-31 is inside the Spring Festival break (Jan 28 – Feb 4).
    assert final("2025-01-D3", calendar) == date(2025, 2, 5)
    # 2026-02-20 is inside the Spring Festival break (Feb 15 – Feb 23).
    assert final("2026-02-D2", calendar) == date(2026, 2, 24)


def test_a_dekad_ending_before_a_make_up_saturday_is_due_that_saturday(calendar):
    assert final("2025-10-D1", calendar) == date(2025, 10, 11)


def test_the_fourth_quarter_of_2025_is_due_on_the_make_up_sunday_of_new_year_2026(calendar):
    assert final("2025-Q4", calendar) == date(2026, 1, 4)


def test_a_later_due_date_counts_working_days_not_calendar_days(calendar):
    assert final("2025-09", calendar, working_days_after=2) == date(2025, 10, 10)
    assert final("2025-09", calendar, working_days_after=3) == date(2025, 10, 11)


# --- beyond the known years: the provisional count (decision 0012) ------------------------


def test_a_year_without_holidays_counts_provisionally_without_weekends_and_fixed_days(calendar):
    assert not calendar.covers(2031)

    # Wednesday April 30th 2031; May 1st and 2nd are fixed holidays: Monday May 5th.
    assert working_day_after(date(2031, 4, 30), calendar) == Due(date(2031, 5, 5), (2031,))
    # Tuesday September 30th; October 1st-3rd are fixed holidays, then the weekend.
    when = working_day_after(date(2031, 9, 30), calendar, 2)
    assert (when.day, when.provisional) == (date(2031, 10, 7), True)
    # Moving holidays (the Spring Festival of late January 2031) are not guessed.
    assert working_day_after(date(2031, 1, 22), calendar).day == date(2031, 1, 23)


def test_a_year_without_holidays_still_honours_the_days_already_declared():
    calendar = WorkCalendar(overrides={date(2031, 5, 5): False, date(2031, 5, 3): True})

    when = working_day_after(date(2031, 4, 30), calendar)
    assert (when.day, when.provisional) == (date(2031, 5, 3), True)
    assert working_day_after(date(2031, 5, 3), calendar).day == date(2031, 5, 6)


def test_a_year_with_its_holidays_entered_counts_them_and_is_final():
    # The office entered 2031: New Year's Day and a bridge day off, a make-up Saturday.
    calendar = WorkCalendar(
        extra_years=[2030, 2031],
        overrides={
            date(2031, 1, 1): False,
            date(2031, 1, 2): False,
            date(2031, 1, 4): True,
        },
    )

    when = working_day_after(date(2030, 12, 31), calendar)
    assert (when.day, when.provisional, when.unknown_years) == (date(2031, 1, 3), False, ())
    assert working_day_after(date(2031, 1, 3), calendar).day == date(2031, 1, 4)
    # An entered year has no fixed-day guess: only what was entered is a day off.
    assert working_day_after(date(2031, 4, 30), calendar).day == date(2031, 5, 1)


def test_the_count_turns_provisional_where_the_packages_years_end():
    last = max(y for y in range(2004, 2100) if package_covers(y))
    assert last == max(d.year for d in chinese_calendar.constants.holidays)
    calendar = WorkCalendar()

    december = working_day_after(date(last, 12, 1), calendar)
    assert not december.provisional and december.day.year == last
    # The last working day of the package's last year, counted into the next one.
    last_day = max(
        d for d in (date(last, 12, 31 - k) for k in range(10)) if calendar.is_working_day(d)
    )
    crossing = working_day_after(last_day, calendar)
    assert crossing.provisional and crossing.unknown_years == (last + 1,)
    assert crossing.day.year == last + 1 and crossing.day != date(last + 1, 1, 1)
    assert crossing.day.weekday() < 5
    # Once the next year is entered, the same count is final.
    entered = working_day_after(last_day, WorkCalendar(extra_years=[last + 1]))
    assert not entered.provisional


def test_no_working_days_after_a_day_is_that_day_and_final(calendar):
    assert working_day_after(date(2031, 1, 1), calendar, 0) == Due(date(2031, 1, 1))


def test_every_deadline_counts_the_same_way_across_the_unknown_year_end(calendar):
    dekad = parse_label("2026-12-D3")
    expected = working_day_after(dekad.end, calendar)

    assert dekad_due(None, dekad, calendar) == expected
    assert warning_date(dekad.end, 1, calendar) == expected.day
    assert month_due_date(date(2026, 12, 1), 1, calendar) == expected.day
    assert due(period_containing(PeriodKind.MONTH, date(2026, 12, 1)), calendar) == expected
    assert expected == Due(date(2027, 1, 4), (2027,))
