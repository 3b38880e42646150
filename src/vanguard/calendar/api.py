"""API: the periods of a year with their report due dates."""

import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from vanguard.calendar.due import due_date
from vanguard.calendar.periods import PeriodKind, periods_of_year
from vanguard.calendar.services import load_calendar
from vanguard.calendar.workdays import CalendarNotCovered

router = Router(tags=["calendar"])


class PeriodOut(Schema):
    kind: str
    label: str
    display_label: str
    start: datetime.date
    end: datetime.date
    due: datetime.date


@router.get("/periods", response=list[PeriodOut])
def list_periods(request, year: int, kind: str = "month", working_days_after: int = 1):
    """Every period of ``kind`` in ``year`` and the due date of its report."""
    try:
        period_kind = PeriodKind(kind)
    except ValueError:
        raise HttpError(
            422,
            _("Unknown period kind {kind!r}; use one of: {choices}.").format(
                kind=kind, choices=", ".join(k.value for k in PeriodKind)
            ),
        ) from None
    if working_days_after < 1:
        raise HttpError(422, _("working_days_after must be at least 1."))
    calendar = load_calendar()
    try:
        return [
            {
                "kind": p.kind.value,
                "label": p.label,
                "display_label": p.display_label,
                "start": p.start,
                "end": p.end,
                "due": due_date(p, calendar, working_days_after),
            }
            for p in periods_of_year(period_kind, year)
        ]
    except CalendarNotCovered as exc:
        raise HttpError(422, str(exc)) from None
