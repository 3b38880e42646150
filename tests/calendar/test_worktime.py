"""Time limits counted in working hours, working days and emergency hours."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from vanguard.calendar.workdays import WorkCalendar
from vanguard.calendar.worktime import TimeUnit, WorkTime, parse_working_hours

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SH)


@pytest.fixture
def work():
    with timezone.override(SH):
        yield WorkTime.of(WorkCalendar(), "08:30-12:00,13:30-18:00")


def test_a_day_holds_eight_office_hours(work):
    assert work.hours_per_day == 8


def test_working_hours_skip_lunch_and_the_night(work):
    # Monday 2026-03-02, 11:00 + 2 working hours: one before lunch, one after.
    assert work.add(at(2026, 3, 2, 11), 2, TimeUnit.WORKING_HOURS) == at(2026, 3, 2, 14, 30)
    # 17:00 + 3 hours: one on Monday, two on Tuesday morning.
    assert work.add(at(2026, 3, 2, 17), 3, "wh") == at(2026, 3, 3, 10, 30)


def test_the_clock_starts_at_the_next_opening_outside_office_hours(work):
    # Friday evening → Monday 08:30 + 1 hour.
    assert work.add(at(2026, 3, 6, 20), 1, "wh") == at(2026, 3, 9, 9, 30)
    # Saturday → the close of Monday for one working day.
    assert work.add(at(2026, 3, 7, 10), 1, "wd") == at(2026, 3, 9, 18)


def test_a_limit_used_up_at_a_span_end_is_due_then(work):
    assert work.add(at(2026, 3, 2, 8, 30), 3.5, "wh") == at(2026, 3, 2, 12)


def test_working_days_keep_the_clock_time(work):
    assert work.add(at(2026, 3, 2, 10), 1, TimeUnit.WORKING_DAYS) == at(2026, 3, 3, 10)
    # 15 working days from a Monday: three weeks later.
    assert work.add(at(2026, 3, 2, 10), 15, "wd") == at(2026, 3, 23, 10)


def test_official_holidays_do_not_count(work):
    # 2026-09-30 (Wednesday) 10:00 + 1 working day: National Day holidays run to 10-07,
    # and the first working day after is 2026-10-08... whatever the calendar says.
    calendar = work.calendar
    due = work.add(at(2026, 9, 30, 10), 1, "wd")
    day = calendar.next_working_day_after(datetime.date(2026, 9, 30))
    assert due == at(day.year, day.month, day.day, 10)
    assert due.date() > datetime.date(2026, 10, 7)


def test_emergency_hours_run_day_and_night(work):
    assert work.add(at(2026, 10, 1, 23), 3, TimeUnit.HOURS) == at(2026, 10, 2, 2)


def test_between_counts_working_time_only(work):
    assert work.between(at(2026, 3, 2, 11), at(2026, 3, 2, 14, 30)) == 2
    assert work.between(at(2026, 3, 6, 17), at(2026, 3, 9, 9, 30)) == 2
    assert work.between(at(2026, 3, 2, 10), at(2026, 3, 3, 10), "wd") == 1
    assert work.between(at(2026, 3, 3, 10), at(2026, 3, 2, 10), "wd") == -1


def test_add_and_between_agree(work):
    start = at(2026, 3, 4, 16, 45)
    for amount in (0.5, 1, 4, 8, 13, 40):
        assert work.between(start, work.add(start, amount, "wh")) == pytest.approx(amount)


@pytest.mark.parametrize(
    "text", ["", "8:30", "12:00-08:30", "08:30-12:00,11:00-13:00", "nine-five"]
)
def test_working_hours_that_make_no_sense_are_refused(text):
    with pytest.raises(ValueError):
        parse_working_hours(text)
