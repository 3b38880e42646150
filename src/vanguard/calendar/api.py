"""API: the periods of a year with their report due dates."""

import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from vanguard.calendar.due import due
from vanguard.calendar.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    PeriodKind,
    YearOutOfRange,
    check_year,
    periods_of_year,
)
from vanguard.calendar.services import load_calendar
from vanguard.calendar.workdays import CalendarNotCovered

router = Router(tags=["calendar"])

# More working days than a year has is a mistake, not a deadline.
MAX_WORKING_DAYS_AFTER = 366


class PeriodOut(Schema):
    kind: str
    label: str
    display_label: str
    start: datetime.date
    end: datetime.date
    due: datetime.date
    # True while the due date is counted over a year whose holidays are not entered (暂定).
    due_provisional: bool


@router.get("/periods", response=list[PeriodOut])
def list_periods(
    request,
    year: int,
    kind: str = "month",
    working_days_after: int = 1,
    provisional: bool = False,
):
    """Every period of ``kind`` in ``year`` and the due date of its report.

    Due dates falling in a year whose holidays are not entered are provisional; a year
    that is itself not entered is refused unless ``provisional`` is true.
    """
    try:
        check_year(year)
    except YearOutOfRange:
        raise HttpError(
            400,
            _("Year {year} is out of range; use {first} to {last}.").format(
                year=year, first=FIRST_YEAR, last=LAST_YEAR
            ),
        ) from None
    try:
        period_kind = PeriodKind(kind)
    except ValueError:
        raise HttpError(
            422,
            _("Unknown period kind {kind!r}; use one of: {choices}.").format(
                kind=kind, choices=", ".join(k.value for k in PeriodKind)
            ),
        ) from None
    if not 1 <= working_days_after <= MAX_WORKING_DAYS_AFTER:
        raise HttpError(
            400,
            _("working_days_after must be from 1 to {last}.").format(last=MAX_WORKING_DAYS_AFTER),
        )
    calendar = load_calendar()
    if not calendar.covers(year) and not provisional:
        raise HttpError(
            422,
            "{} {}".format(
                CalendarNotCovered(year), _("Add provisional=true for provisional due dates.")
            ),
        )
    rows = []
    for period in periods_of_year(period_kind, year):
        when = due(period, calendar, working_days_after)
        rows.append(
            {
                "kind": period.kind.value,
                "label": period.label,
                "display_label": period.display_label,
                "start": period.start,
                "end": period.end,
                "due": when.day,
                "due_provisional": when.provisional,
            }
        )
    return rows
