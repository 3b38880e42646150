"""Working time (工作时): time limits counted in working hours and working days.

A city case's time limit runs in one of three units (CJ/T 315 and local practice):

- 工作时 (working hours): only the office hours of working days count;
- 工作日 (working days): a working day is the office hours of one working day, so
  "1 working day" from 10:00 on a Monday is 10:00 on Tuesday, and a case dispatched on
  a Saturday is due at the close of Monday;
- 紧急工作时 (emergency hours): the clock, day and night, holidays included.

Which days are working days is the one calendar's answer (``WorkCalendar``); the office
hours of a working day are a setting (``WORKING_HOURS``, local time), by default
08:30–12:00 and 13:30–18:00, eight hours.
"""

import datetime
import enum
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.calendar.workdays import WorkCalendar

DEFAULT_WORKING_HOURS = "08:30-12:00,13:30-18:00"
# A limit longer than this many days of searching is refused rather than looped over.
MAX_SEARCH_DAYS = 3660


class TimeUnit(enum.StrEnum):
    """The unit a time limit is counted in."""

    WORKING_HOURS = "wh"
    WORKING_DAYS = "wd"
    HOURS = "h"

    @property
    def label(self):
        return {
            TimeUnit.WORKING_HOURS: _("working hours"),
            TimeUnit.WORKING_DAYS: _("working days"),
            TimeUnit.HOURS: _("emergency hours"),
        }[self]

    @classmethod
    def choices(cls):
        return [(unit.value, unit.label) for unit in cls]


def parse_working_hours(text):
    """``"08:30-12:00,13:30-18:00"`` → ``[(time(8, 30), time(12)), (time(13, 30), time(18))]``.

    The spans must be in order and must not overlap; a ValueError says which is wrong.
    """
    spans = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            start, end = (datetime.time.fromisoformat(p.strip()) for p in part.split("-"))
        except ValueError:
            raise ValueError(f"working hours: {part!r} is not HH:MM-HH:MM") from None
        if end <= start or (spans and start < spans[-1][1]):
            raise ValueError(f"working hours: {part!r} is out of order")
        spans.append((start, end))
    if not spans:
        raise ValueError("working hours: no span given")
    return spans


@dataclass(frozen=True)
class WorkTime:
    """The calendar's working days and the office hours of each."""

    calendar: WorkCalendar
    spans: tuple

    @classmethod
    def of(cls, calendar, hours=None):
        text = hours or getattr(settings, "WORKING_HOURS", DEFAULT_WORKING_HOURS)
        return cls(calendar, tuple(parse_working_hours(text)))

    @property
    def hours_per_day(self):
        return sum(_seconds(start, end) for start, end in self.spans) / 3600

    def _day_spans(self, day, tz):
        """The office hours of ``day`` as aware datetimes, none on a day off."""
        if not self.calendar.is_working_day(day):
            return []
        return [
            (
                timezone.make_aware(datetime.datetime.combine(day, start), tz),
                timezone.make_aware(datetime.datetime.combine(day, end), tz),
            )
            for start, end in self.spans
        ]

    def add(self, start, amount, unit):
        """The moment ``amount`` of ``unit`` after ``start`` (an aware datetime)."""
        unit = TimeUnit(unit)
        if amount < 0:
            raise ValueError("a time limit is never negative")
        if unit == TimeUnit.HOURS:
            return start + datetime.timedelta(hours=amount)
        seconds = amount * 3600 * (self.hours_per_day if unit == TimeUnit.WORKING_DAYS else 1)
        return self._add_seconds(start, seconds)

    def _add_seconds(self, start, seconds):
        tz = timezone.get_current_timezone()
        local = timezone.localtime(start, tz)
        day = local.date()
        for _i in range(MAX_SEARCH_DAYS):
            for span_start, span_end in self._day_spans(day, tz):
                begin = max(span_start, local)
                if begin >= span_end:
                    continue
                available = (span_end - begin).total_seconds()
                if seconds <= available:
                    # A limit used up exactly at a span's end is due then, not at the
                    # next span's opening.
                    return begin + datetime.timedelta(seconds=seconds)
                seconds -= available
            day += datetime.timedelta(days=1)
        raise ValueError("the time limit runs beyond the calendar")

    def between(self, start, end, unit=TimeUnit.WORKING_HOURS):
        """How much working time (in ``unit``) lies from ``start`` to ``end``; negative when
        ``end`` comes first."""
        unit = TimeUnit(unit)
        if end < start:
            return -self.between(end, start, unit)
        if unit == TimeUnit.HOURS:
            return (end - start).total_seconds() / 3600
        tz = timezone.get_current_timezone()
        local, last = timezone.localtime(start, tz), timezone.localtime(end, tz)
        seconds, day = 0.0, local.date()
        while day <= last.date():
            for span_start, span_end in self._day_spans(day, tz):
                begin, finish = max(span_start, local), min(span_end, last)
                if finish > begin:
                    seconds += (finish - begin).total_seconds()
            day += datetime.timedelta(days=1)
        hours = seconds / 3600
        return hours / self.hours_per_day if unit == TimeUnit.WORKING_DAYS else hours


def _seconds(start, end):
    return (
        datetime.datetime.combine(datetime.date.min, end)
        - datetime.datetime.combine(datetime.date.min, start)
    ).total_seconds()
