"""The periods of an item's cadence, as the one calendar names them, and their due dates."""

import re

from django.utils.translation import gettext as _

from vanguard.calendar.due import due
from vanguard.calendar.periods import PeriodKind, parse_label, period_containing
from vanguard.calendar.services import load_calendar
from vanguard.org.choices import CADENCE_PERIOD_KIND
from vanguard.org.queries import report_working_days

_DEKADS = {"上旬": 1, "中旬": 2, "下旬": 3}
# What people write in a sheet: 2026年第10周, 2026年3月上旬, 2026年3月, 2026-03-D1, 2026-W10.
_WEEK_RE = re.compile(r"^(\d{4})\s*年\s*第?\s*(\d{1,2})\s*周$")
_DEKAD_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(上旬|中旬|下旬)$")
_MONTH_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(份)?$")


def period_kind(cadence):
    """The calendar's period kind a cadence schedules by (week, dekad, month)."""
    return PeriodKind(CADENCE_PERIOD_KIND[cadence])


def read_period(text, cadence):
    """The period ``text`` names, which must be one of ``cadence``; ValueError saying why."""
    text = re.sub(r"\s+", "", str(text or ""))
    period = None
    try:
        if match := _WEEK_RE.match(text):
            period = parse_label("{}-W{:02d}".format(match[1], int(match[2])))
        elif match := _DEKAD_RE.match(text):
            period = parse_label("{}-{:02d}-D{}".format(match[1], int(match[2]), _DEKADS[match[3]]))
        elif match := _MONTH_RE.match(text):
            period = parse_label("{}-{:02d}".format(match[1], int(match[2])))
        else:
            period = parse_label(text)
    except ValueError:
        period = None
    if period is None:
        raise ValueError(
            _(
                "“{value}” names no period: write e.g. 2026年3月上旬, 2026年第10周, 2026年3月"
                " or 2026-03-D1."
            ).format(value=text)
        )
    kind = period_kind(cadence)
    if period.kind != kind:
        raise ValueError(
            _("“{value}” is not a period of this item's cadence ({cadence}).").format(
                value=text, cadence=_cadence_word(cadence)
            )
        )
    return period


def _cadence_word(cadence):
    from vanguard.org.choices import Cadence

    return Cadence(cadence).label


def due_date(campaign, period, calendar=None):
    """The day a period's progress falls due under the campaign's deadline rule."""
    calendar = calendar or load_calendar()
    return due(period, calendar, report_working_days(campaign, period.kind)).day


def current_period(cadence, today):
    """The period of ``cadence`` that contains ``today``."""
    return period_containing(period_kind(cadence), today)
