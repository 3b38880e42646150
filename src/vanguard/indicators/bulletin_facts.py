"""The indicators' facts for the monthly bulletin (supervision.bulletins.facts).

For a month: the statistics that fell due in it (the month's figures are due a number
of working days after it ends, by the campaign's light policy) and by the cut-off, one
per indicator a unit answers for and published that month; which were entered on time,
late, or not at all by the cut-off. Counted per responsible unit, in a few queries.
"""

import datetime
from collections import defaultdict

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.calendar.services import load_calendar
from vanguard.indicators.lights import month_due_date
from vanguard.indicators.models import Indicator, Observation
from vanguard.supervision.lights import policy_for

FACTS = {
    "figures_due": _("statistics due"),
    "figures_on_time": _("statistics entered on time"),
    "figures_late": _("statistics entered late"),
    "figures_missing": _("statistics missing"),
}


def _due_months(campaign, start, end, cutoff):
    """{month: due date} of the months whose figures fell due in the window, by the cut-off."""
    calendar = load_calendar()
    working_days = policy_for(campaign).indicator_data_working_days
    last_day = min(end, timezone.localtime(cutoff).date())
    months, month = {}, (start.replace(day=1) - datetime.timedelta(days=62)).replace(day=1)
    while month <= end:
        due = month_due_date(month, working_days, calendar)
        if start <= due <= last_day:
            months[month] = due
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def figure_facts(campaign, start, end, cutoff):
    """``{unit_id: {fact: count}}`` of the statistics due in the window."""
    months = _due_months(campaign, start, end, cutoff)
    if not months:
        return {}
    indicators = list(
        Indicator.objects.filter(campaign=campaign, responsible_unit__isnull=False).only(
            "pk", "frequency", "responsible_unit_id"
        )
    )
    first = {
        (row["indicator_id"], row["month"]): row["first"]
        for row in Observation.objects.filter(
            indicator__in=indicators, month__in=list(months), recorded_at__lte=cutoff
        )
        .values("indicator_id", "month")
        .annotate(first=Min("recorded_at"))
        .order_by()
    }
    facts = defaultdict(lambda: dict.fromkeys(FACTS, 0))
    for indicator in indicators:
        unit = facts[indicator.responsible_unit_id]
        for month, due in months.items():
            if not indicator.published_in(month):
                continue
            unit["figures_due"] += 1
            at = first.get((indicator.pk, month))
            if at is None:
                unit["figures_missing"] += 1
            elif timezone.localtime(at).date() <= due:
                unit["figures_on_time"] += 1
            else:
                unit["figures_late"] += 1
    return dict(facts)


def figures_link(campaign, unit_code, start, end):
    """The indicators' overview, each indicator with its figures."""
    return reverse("indicators:overview")
