"""The orders' facts of a month per unit, for the monthly bulletin: set-based, one query.

``order_facts(campaign, start, end)`` -> ``{unit_id: {"orders_issued": n,
"orders_unanswered": n, "orders_returned": n, "red_orders": n}}`` where

- ``orders_issued``: orders issued from ``start`` to ``end`` (dates, both included);
- ``orders_unanswered``: orders issued by ``end`` whose answer was due by ``end`` and had
  not come by then (no answer yet, or the first answer came after ``end``);
- ``orders_returned``: answers sent back from ``start`` to ``end``;
- ``red_orders``: orders issued in the month that are red now or were red when issued.

Units with no order in any count are left out.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from vanguard.supervision.models import OrderStep, SupervisionOrder
from vanguard.supervision.models.orders import OrderColour, StepKind

KEYS = ("orders_issued", "orders_unanswered", "orders_returned", "red_orders")


def _bounds(start, end):
    """Aware datetimes: the start of ``start`` and the start of the day after ``end``."""
    zone = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    after = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return begin, after


def order_facts(campaign, start, end):
    """Per unit, the month's order counts (see the module's docstring)."""
    begin, after = _bounds(start, end)
    answered_in_time = OrderStep.objects.filter(
        order=OuterRef("pk"), kind=StepKind.ANSWERED, at__lt=after
    )
    returned = OrderStep.objects.filter(
        order=OuterRef("pk"), kind=StepKind.RETURNED, at__gte=begin, at__lt=after
    )
    issued_red = OrderStep.objects.filter(
        order=OuterRef("pk"), kind=StepKind.ISSUED, to_colour=OrderColour.RED
    )
    in_month = Q(issued_at__gte=begin, issued_at__lt=after)
    rows = (
        SupervisionOrder.objects.filter(campaign=campaign, issued_at__lt=after)
        .annotate(
            answered_in_time=Exists(answered_in_time),
            was_returned=Exists(returned),
            issued_red=Exists(issued_red),
        )
        .values("unit_id")
        .annotate(
            orders_issued=Count("pk", filter=in_month),
            orders_unanswered=Count("pk", filter=Q(due_date__lte=end, answered_in_time=False)),
            orders_returned=Count("pk", filter=Q(was_returned=True)),
            red_orders=Count(
                "pk", filter=in_month & (Q(colour=OrderColour.RED) | Q(issued_red=True))
            ),
        )
        .order_by("unit_id")
    )
    facts = {}
    for row in rows:
        counts = {key: row[key] for key in KEYS}
        if any(counts.values()):
            facts[row["unit_id"]] = counts
    return facts
