"""The orders' facts of a month per unit, for the monthly bulletin: set-based, one query.

``order_facts(campaign, start, end, cutoff=None)`` -> ``{unit_id: {"orders_issued": n,
"orders_unanswered": n, "orders_returned": n, "red_orders": n}}`` where

- ``orders_issued``: orders issued from ``start`` to ``end`` (dates, both included);
- ``orders_unanswered``: orders issued by ``end`` whose answer was due by ``end`` and had
  not come by then (no answer yet, or the first answer came after ``end``);
- ``orders_returned``: answers sent back from ``start`` to ``end``;
- ``red_orders``: orders issued in the month that were red when issued or turned red
  by the end of the month.

Everything is read as recorded by ``cutoff`` (an aware datetime; None: now): orders,
answers, returns and colour rises recorded after it are not counted, so a bulletin
recomputed later gives the same figures. Units with no order in any count are left out.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


def order_facts(campaign, start, end, cutoff=None):
    """Per unit, the month's order counts (see the module's docstring)."""
    begin, after = _bounds(start, end)
    steps = OrderStep.objects.filter(order=OuterRef("pk"))
    if cutoff is not None:
        steps = steps.filter(at__lte=cutoff)
    answered_in_time = steps.filter(kind=StepKind.ANSWERED, at__lt=after)
    returned = steps.filter(kind=StepKind.RETURNED, at__gte=begin, at__lt=after)
    turned_red = steps.filter(
        kind__in=[StepKind.ISSUED, StepKind.ESCALATED], to_colour=OrderColour.RED, at__lt=after
    )
    in_month = Q(issued_at__gte=begin, issued_at__lt=after)
    orders = SupervisionOrder.objects.filter(campaign=campaign, issued_at__lt=after)
    if cutoff is not None:
        orders = orders.filter(issued_at__lte=cutoff)
    rows = (
        orders.annotate(
            answered_in_time=Exists(answered_in_time),
            was_returned=Exists(returned),
            turned_red=Exists(turned_red),
        )
        .values("unit_id")
        .annotate(
            orders_issued=Count("pk", filter=in_month),
            orders_unanswered=Count("pk", filter=Q(due_date__lte=end, answered_in_time=False)),
            orders_returned=Count("pk", filter=Q(was_returned=True)),
            red_orders=Count("pk", filter=in_month & Q(turned_red=True)),
        )
        .order_by("unit_id")
    )
    facts = {}
    for row in rows:
        counts = {key: row[key] for key in KEYS}
        if any(counts.values()):
            facts[row["unit_id"]] = counts
    return facts


FACTS = {
    "orders_issued": _("supervision orders issued"),
    "orders_unanswered": _("supervision orders not answered in time"),
    "orders_returned": _("answers to supervision orders sent back"),
    "red_orders": _("red supervision orders"),
}


def orders_link(campaign, unit_code, start, end):
    """The unit's supervision orders."""
    return "{}?unit={}".format(reverse("orders:list"), unit_code)
