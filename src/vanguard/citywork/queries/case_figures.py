"""Case figures (案件指标) per responsible unit over a period, counted in the database.

For a period (a month, or any run of days) and each unit the cases were dispatched to,
as the records stood at ``cutoff`` (by default now; never later than the period's end):

- 派遣 ``dispatched``: cases dispatched to the unit in the period (an upheld return
  counts where the case went next, from its new dispatch);
- 结案 ``closed``: cases the check closed in the period;
- 应结案 ``due``: the cases closed in the period, and those whose time limit (after an
  approved postponement, the new one) ended in the period without their being closed
  by its end. An older backlog is not in it, so it does not weigh on every later
  month's rate; a case closed ahead of its time limit counts in the month it closed;
- 结案率 = closed ÷ due (never above 100 %);
- 按期结案率 = closed in time ÷ closed, where a case whose postponement (缓办) was
  approved leaves both counts (the usual practice: a case given more time is judged
  neither in time nor late). "In time" is the unit's reply by the time limit, as the
  check records it (``Case.closed_on_time``);
- 超期 ``overdue``: cases open at the period's end past their time limit without a reply
  in time, however long ago it passed (an overdue case is named every month until it is
  closed), plus cases closed in the period whose reply came late;
- 返工 ``rework``: failed checks and reporters' "not fixed" in the period, counted to
  the unit that had the case;
- 退单 ``returned``: returns (退单) the unit made in the period, upheld or not.

Two queries whatever the number of units: one over the cases grouped by unit, one over
their flow records (returns and rework are steps, and a return belongs to the unit that
made it even when the case moved on). Reproducible for a past cut-off with one limit:
a case keeps only its latest clock, so a postponement approved or a reopening after the
cut-off moves what the earlier period reads.
"""

import datetime
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from vanguard.citywork.models import Case, CaseEvent
from vanguard.citywork.models.cases import CaseAction, CaseState

# A unit with fewer cases than this neither tops nor bottoms a table of rates or counts:
# one late case of one is not a pattern.
MIN_SAMPLE = 5
REWORK_STEPS = (CaseAction.CHECK_FAILED, CaseAction.REOPEN)
PERCENT = Decimal("0.1")


def rate(done, owed):
    """``done`` ÷ ``owed`` in percent to one decimal, or None when nothing is owed."""
    if not owed:
        return None
    return (Decimal(100) * done / owed).quantize(PERCENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CaseFigures:
    """One unit's counts for the period (the module docstring defines each)."""

    dispatched: int = 0
    due: int = 0
    closed: int = 0
    # Closed in time, postponed cases left out.
    closed_on_time: int = 0
    # Closed, postponed cases left out: the denominator of 按期结案率.
    closed_timed: int = 0
    # Closed in the period with a late reply, and open at its end past the time limit.
    closed_late: int = 0
    overdue_open: int = 0
    rework: int = 0
    returned: int = 0

    @property
    def overdue(self):
        return self.overdue_open + self.closed_late

    @property
    def close_rate(self):
        """结案率 in percent, or None when nothing was due."""
        return rate(self.closed, self.due)

    @property
    def on_time_rate(self):
        """按期结案率 in percent (postponed cases left out), or None."""
        return rate(self.closed_on_time, self.closed_timed)

    def __add__(self, other):
        return CaseFigures(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def day_start(day):
    """The first moment of ``day`` in the district's time, aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def window(start, end, cutoff=None):
    """(first moment, the moment the period is judged at) of the days ``start``–``end``."""
    edge = day_start(end + datetime.timedelta(days=1))
    return day_start(start), min(edge, cutoff or timezone.now())


def case_figures(campaign, start, end, *, cutoff=None, cases=None):
    """``{unit_id: CaseFigures}`` of the units with anything to count, in two queries.

    ``cases`` narrows the cases counted (a queryset of ``Case`` already passed through
    ``org.access``); by default every case of the campaign. A return stays with the unit
    that made it, also when the case it returned is counted for another.
    """
    first, edge = window(start, end, cutoff)
    if cases is None:
        cases = Case.objects.all()
    closed = Q(state=CaseState.CLOSED, closed_at__gte=first, closed_at__lt=edge)
    open_at_edge = ~Q(state=CaseState.CLOSED) | Q(closed_at__gte=edge)
    late_or_unreplied = Q(handled_at__isnull=True) | Q(handled_at__gt=F("due_at"))
    overdue_open = open_at_edge & Q(due_at__lt=edge) & late_or_unreplied
    # Every case counted was open at some moment of the period.
    in_period = Q(dispatched_at__lt=edge) & (Q(closed_at__isnull=True) | Q(closed_at__gte=first))
    rows = (
        cases.filter(in_period, campaign=campaign, unit__isnull=False)
        .exclude(state__in=[CaseState.DISCARDED, CaseState.MERGED])
        .order_by()
        .values("unit_id")
        .annotate(
            # Prefixed: an annotation named like a field (closed_on_time) would shadow it
            # in the filters after it.
            n_dispatched=Count("pk", filter=Q(dispatched_at__gte=first)),
            n_due=Count(
                "pk", filter=closed | (open_at_edge & Q(due_at__gte=first, due_at__lt=edge))
            ),
            n_closed=Count("pk", filter=closed),
            n_closed_on_time=Count("pk", filter=closed & Q(closed_on_time=True, postponed=False)),
            n_closed_timed=Count("pk", filter=closed & Q(postponed=False)),
            n_closed_late=Count("pk", filter=closed & Q(closed_on_time=False)),
            n_overdue_open=Count("pk", filter=overdue_open),
        )
    )
    found = {row.pop("unit_id"): _counts(row) for row in rows}
    # A step of the period is on a case not closed before it: those drive the search.
    period_cases = cases.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=first), campaign=campaign
    )
    steps = (
        CaseEvent.objects.filter(
            case__in=period_cases.values("pk"),
            action__in=[CaseAction.RETURN, *REWORK_STEPS],
            at__gte=first,
            at__lt=edge,
            unit__isnull=False,
        )
        .order_by()
        .values("unit_id")
        .annotate(
            n_returned=Count("pk", filter=Q(action=CaseAction.RETURN)),
            n_rework=Count("pk", filter=Q(action__in=REWORK_STEPS)),
        )
    )
    for row in steps:
        found.setdefault(row.pop("unit_id"), {}).update(_counts(row))
    return {
        unit_id: CaseFigures(**counts) for unit_id, counts in found.items() if any(counts.values())
    }


def _counts(row):
    return {name.removeprefix("n_"): value for name, value in row.items()}


def total(figures):
    """The sum of many units' figures."""
    return sum(figures, CaseFigures())


def case_url(number):
    """The page of case ``number`` (``AJ00000042``)."""
    return reverse("citywork:case_detail", args=[number])


def cases_url(unit_code=None):
    """The list of cases, of one unit when given."""
    url = reverse("citywork:case_list")
    return "{}?unit={}".format(url, unit_code) if unit_code else url
