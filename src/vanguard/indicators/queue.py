"""What the indicators hand out to the work queue (supervision.queue): to a responsible
unit's reporters, each indicator's district figure for last month while it is not in
(a month's figures are entered once it has ended), with the data deadline of the
campaign's light policy on the one calendar, late once it has passed. The same
deadlines as the unit's list (``owed.py``); three queries however many indicators."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.calendar.services import load_calendar
from vanguard.indicators.choices import AreaLevel
from vanguard.indicators.lights import month_due_date
from vanguard.indicators.models import Indicator, Observation
from vanguard.indicators.owed import _months_around
from vanguard.org import access
from vanguard.supervision.lights import policy_for
from vanguard.supervision.queue import REPORTER, QueueItem, Section, first_due, register_queue


def _reports_for_some_unit(user):
    return bool(access.access_for(user).unit_ids)


def figures_due(campaign, user, today, limit):
    """The month's figure each indicator of the user's units still owes, with its deadline."""
    held = access.access_for(user)
    indicators = list(
        Indicator.objects.filter(campaign=campaign, responsible_unit_id__in=held.unit_ids)
        .select_related("responsible_unit")
        .order_by("code")
    )
    if not indicators:
        return Section(0)
    months = _months_around(today)
    working_days = policy_for(campaign).indicator_data_working_days
    calendar, deadlines = load_calendar(), {}
    filed = set(
        Observation.objects.filter(
            indicator__in=indicators,
            area__level=AreaLevel.DISTRICT,
            is_current=True,
            month__gte=months[0],
        ).values_list("indicator_id", "month")
    )
    items = []
    for indicator in indicators:
        # Only a month that has ended may be entered: last month, in the campaign year.
        for month in months[:1]:
            if month.year != campaign.year or not indicator.published_in(month):
                continue
            if (indicator.pk, month) in filed:
                continue
            if month not in deadlines:
                deadlines[month] = month_due_date(month, working_days, calendar)
            items.append(
                QueueItem(
                    label=_("{name}: figure for {month}").format(
                        name=indicator.name, month=month.strftime("%Y-%m")
                    ),
                    url=reverse("indicators:enter", args=[indicator.code])
                    + "?month="
                    + month.strftime("%Y-%m"),
                    due=deadlines[month],
                    late=today > deadlines[month],
                    unit=indicator.responsible_unit.name,
                )
            )
            break
    return first_due(items, limit)


def register():
    register_queue(
        "figures_due",
        gettext_lazy("Indicator figures due"),
        figures_due,
        role=REPORTER,
        applies=_reports_for_some_unit,
    )
