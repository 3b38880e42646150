from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from vanguard.calendar.due import due
from vanguard.calendar.periods import (
    PeriodKind,
    parse_label,
    period_containing,
    periods_between,
    periods_of_year,
)
from vanguard.calendar.workdays import WorkCalendar

# The chinese_calendar package knows 2004–2026.
dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31))
years = st.integers(min_value=2004, max_value=2026)
kinds = st.sampled_from(list(PeriodKind))
periods = st.builds(period_containing, kinds, dates)

# 2027 is declared covered so that the weeks and dekads at the end of 2026 have due dates.
CALENDAR = WorkCalendar(extra_years=[2027])


def assert_tiles(periods_in_order, first_day, last_day):
    assert periods_in_order[0].start == first_day
    assert periods_in_order[-1].end == last_day
    for before, after in zip(periods_in_order, periods_in_order[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
    assert sum(p.days for p in periods_in_order) == (last_day - first_day).days + 1


@given(kinds, dates)
def test_each_date_lies_in_exactly_one_period_of_each_kind(kind, day):
    year = day.isocalendar().year if kind is PeriodKind.WEEK else day.year

    holding = [p for p in periods_of_year(kind, year) if p.contains(day)]

    assert holding == [period_containing(kind, day)]


@given(st.builds(period_containing, st.just(PeriodKind.MONTH), dates))
def test_dekads_tile_their_month_with_no_gap_or_overlap(month):
    dekads = periods_between(PeriodKind.DEKAD, month.start, month.end)

    assert [d.label[-2:] for d in dekads] == ["D1", "D2", "D3"]
    assert_tiles(dekads, month.start, month.end)


@given(st.sampled_from([k for k in PeriodKind if k is not PeriodKind.WEEK]), years)
def test_the_periods_of_a_year_tile_the_year(kind, year):
    assert_tiles(periods_of_year(kind, year), date(year, 1, 1), date(year, 12, 31))


@given(years)
def test_the_weeks_of_an_iso_year_tile_it_from_monday_to_sunday(year):
    first, last = date.fromisocalendar(year, 1, 1), date.fromisocalendar(year + 1, 1, 1)

    assert_tiles(periods_of_year(PeriodKind.WEEK, year), first, last - timedelta(days=1))


@given(periods, st.integers(min_value=1, max_value=5))
def test_a_due_date_is_the_nth_working_day_strictly_after_the_period(period, n):
    when = due(period, CALENDAR, working_days_after=n)

    assert when.day > period.end and not when.provisional
    assert CALENDAR.is_working_day(when.day)
    assert CALENDAR.working_days_between(period.end + timedelta(days=1), when.day) == n


@given(periods)
def test_parse_label_is_the_inverse_of_label(period):
    assert parse_label(period.label) == period


@given(periods)
def test_next_and_previous_are_inverses_and_adjacent(period):
    assert period.next().previous() == period
    assert period.next().start == period.end + timedelta(days=1)
    assert period.previous().end == period.start - timedelta(days=1)
