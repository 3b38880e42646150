"""Working time for a million demo cases: ``WorkTime.add`` on a precomputed table.

``calendar.worktime.WorkTime.add`` walks the office hours day by day, tens of
microseconds a call; a year of demo cases needs two million due and warning times.
Here the working seconds elapsed since a start are tabulated once per slot of the day
(half an hour with the default office hours: every span begins and ends on a slot's
edge), so adding a time limit is one lookup and one binary search. The answers are
``WorkTime.add``'s to the second (a test compares them). Times are POSIX seconds; the
district's time has no daylight saving, so a day is 86,400 of them everywhere.
"""

import datetime
import math
from bisect import bisect_left

from django.utils import timezone

from vanguard.calendar.worktime import TimeUnit, WorkTime

DAY = 86_400


def _second_of_day(moment):
    return moment.hour * 3600 + moment.minute * 60 + moment.second


class FastClock:
    """Working time from ``first`` (a date) for ``days`` days, as ``WorkTime`` counts it."""

    def __init__(self, work, first, days):
        self.work = work
        self.hours_per_day = work.hours_per_day
        edges = [_second_of_day(t) for span in work.spans for t in span]
        self.slot = math.gcd(DAY, *edges) if any(edges) else DAY
        per_day = DAY // self.slot
        midnight = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
        self.origin = midnight.timestamp()
        working_slots = [False] * per_day
        for start, end in work.spans:
            for k in range(_second_of_day(start) // self.slot, _second_of_day(end) // self.slot):
                working_slots[k] = True
        cumulative = [0]
        total = 0
        for offset in range(days):
            working = work.calendar.is_working_day(first + datetime.timedelta(days=offset))
            for k in range(per_day):
                if working and working_slots[k]:
                    total += self.slot
                cumulative.append(total)
        self.cumulative = cumulative
        self.working = [cumulative[k + 1] > cumulative[k] for k in range(len(cumulative) - 1)]

    @classmethod
    def of(cls, calendar, first, days):
        return cls(WorkTime.of(calendar), first, days)

    def worked(self, at):
        """Working seconds from the table's start to ``at`` (POSIX seconds)."""
        k = int((at - self.origin) // self.slot)
        if self.working[k]:
            return self.cumulative[k] + (at - self.origin - k * self.slot)
        return self.cumulative[k]

    def add(self, at, amount, unit):
        """``WorkTime.add`` in POSIX seconds: ``amount`` of ``unit`` after ``at``."""
        if unit == TimeUnit.HOURS:
            return at + amount * 3600
        seconds = amount * 3600 * (self.hours_per_day if unit == TimeUnit.WORKING_DAYS else 1)
        target = self.worked(at) + seconds
        j = bisect_left(self.cumulative, target)
        if j >= len(self.cumulative):
            raise ValueError("the time limit runs beyond the demo's calendar table")
        return self.origin + (j - 1) * self.slot + (target - self.cumulative[j - 1])
