"""The weeks of the weekly cadence (周落实), as the one calendar names them, and their due dates.

A week is an ISO week, Monday to Sunday (2026-W10, 2026年第10周); its report falls due
on the campaign's deadline rule for the weekly cadence (``org.ReportDeadline``): the
n-th working day after the Sunday, holidays and make-up working days counted.
"""

import re

from django.utils.translation import gettext as _

from vanguard.calendar.due import due
from vanguard.calendar.periods import PeriodKind, parse_label, period_containing, periods_between
from vanguard.calendar.services import load_calendar
from vanguard.org.queries import report_working_days

_WEEK_RE = re.compile(r"^(\d{4})\s*年\s*第?\s*(\d{1,2})\s*周$")


def read_week(text):
    """The week ``text`` names (2026-W10, 2026年第10周); ValueError saying why."""
    text = re.sub(r"\s+", "", str(text or ""))
    try:
        if match := _WEEK_RE.match(text):
            text = "{}-W{:02d}".format(match[1], int(match[2]))
        period = parse_label(text)
    except ValueError:
        period = None
    if period is None or period.kind != PeriodKind.WEEK:
        raise ValueError(
            _("“{value}” names no week: write e.g. 2026-W10 or 2026年第10周.").format(value=text)
        )
    return period


def week_of(day):
    """The week that holds ``day``."""
    return period_containing(PeriodKind.WEEK, day)


def weeks_between(start, end):
    """The weeks that overlap ``start``–``end``, in order."""
    return periods_between(PeriodKind.WEEK, start, end)


class WeekDue:
    """Due dates of weeks under one campaign's rule, the calendar and the rule read once."""

    def __init__(self, campaign):
        self.calendar = load_calendar()
        self.working_days = report_working_days(campaign, PeriodKind.WEEK)
        self._cache = {}

    def __call__(self, week):
        if week.label not in self._cache:
            self._cache[week.label] = due(week, self.calendar, self.working_days).day
        return self._cache[week.label]


def last_week_due_before(campaign, today, week_due=None):
    """The latest week whose report fell due before ``today`` (it may be judged), and its due."""
    week_due = week_due or WeekDue(campaign)
    week = week_of(today).previous()
    while week_due(week) >= today:
        week = week.previous()
    return week, week_due(week)
