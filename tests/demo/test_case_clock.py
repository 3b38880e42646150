"""The demo's working-time table answers as ``WorkTime.add`` does, to the second."""

import datetime
import random

import pytest
from django.utils import timezone

from vanguard.calendar.workdays import WorkCalendar
from vanguard.calendar.worktime import TimeUnit, WorkTime
from vanguard.demo.cases.clock import FastClock


@pytest.mark.parametrize("hours", [None, "09:00-12:00,14:00-17:30"])
def test_the_table_gives_worktimes_due_times(hours, settings):
    if hours:
        settings.WORKING_HOURS = hours
    work = WorkTime.of(WorkCalendar().with_provisional())
    first = datetime.date(2026, 1, 1)
    clock = FastClock(work, first, 400)
    rng = random.Random(5)
    for _ in range(3000):
        # Whole seconds, as the database keeps them; any moment of the day, any day.
        at = round(clock.origin + rng.uniform(0, 330 * 86400))
        unit = rng.choice(list(TimeUnit))
        amount = rng.choice([0.5, 1, 2, 3, 4, 5, 15, 2.25])
        start = datetime.datetime.fromtimestamp(at, datetime.UTC)
        expected = work.add(start, amount, unit).timestamp()
        assert clock.add(at, amount, unit) == pytest.approx(expected, abs=1e-6), (
            timezone.localtime(start),
            amount,
            unit,
        )
