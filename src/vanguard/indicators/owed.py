"""What a unit owes for the indicators it answers for, for its list (supervision.owed).

Each indicator whose responsible unit it is makes a row with the indicator's early-warning
light and its reason; it falls due with the deadline of the first month whose district
figure is not yet filed (``lights.month_due_date``, the working days of the campaign's
light policy), from last month on and counting only months the indicator is published
for: last month's deadline until its figure is in (a passed date while it is missing),
then this month's. A fixed number of queries for any number of indicators.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from vanguard.calendar.services import load_calendar
from vanguard.indicators.choices import AreaLevel
from vanguard.indicators.lights import SubjectKind, month_due_date
from vanguard.indicators.models import Indicator, Observation
from vanguard.org import access
from vanguard.org.choices import Battle
from vanguard.supervision.lights import lights_for, policy_for
from vanguard.supervision.owed import Owed, shared

KIND = "indicator"


def _months_around(today):
    """The month before ``today``'s, its month, and the twelve after: the candidates."""
    first = today.replace(day=1) - datetime.timedelta(days=1)
    month = first.replace(day=1)
    months = []
    for _ in range(14):
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def next_data_due(indicator, today, working_days, calendar, cache, filed=frozenset()):
    """The data deadline of the first month from last month on that ``indicator`` is
    published for and whose figure is not in ``filed`` (``(indicator id, month)`` pairs)."""
    for month in _months_around(today):
        if not indicator.published_in(month) or (indicator.pk, month) in filed:
            continue
        if month not in cache:
            cache[month] = month_due_date(month, working_days, calendar)
        return cache[month]
    return None


def owed_indicators(campaign, unit, user, today=None):
    """The rows of the indicators ``unit`` answers for in ``campaign`` that ``user`` sees."""
    return owed_indicators_of_units(campaign, [unit], user, today).get(unit.pk, [])


def owed_indicators_of_units(campaign, units, user, today=None):
    """``{unit id: rows}`` of the indicators ``units`` answer for, in as many queries as one."""
    indicators = list(
        access.restrict(
            Indicator.objects.filter(campaign=campaign, responsible_unit__in=[u.pk for u in units]),
            user,
        ).order_by("code")
    )
    if not indicators:
        return {}
    today = today or timezone.localdate()
    states = lights_for(SubjectKind.INDICATOR, [i.pk for i in indicators], campaign=campaign)
    working_days = shared(
        ("indicator-policy", campaign.pk),
        lambda: policy_for(campaign).indicator_data_working_days,
    )
    calendar = shared("calendar", load_calendar)
    cache = shared(("indicator-month-dues", campaign.pk), dict)
    filed = set(
        Observation.objects.filter(
            indicator__in=indicators,
            area__level=AreaLevel.DISTRICT,
            is_current=True,
            month__gte=_months_around(today)[0],
        ).values_list("indicator_id", "month")
    )
    rows = {}
    for indicator in indicators:
        state = states.get(indicator.pk)
        rows.setdefault(indicator.responsible_unit_id, []).append(
            Owed(
                kind=KIND,
                label=indicator.name,
                url=reverse("indicators:detail", args=[indicator.code]),
                light=state and state.light,
                reason=state.reason_text if state else "",
                due=next_data_due(indicator, today, working_days, calendar, cache, filed),
                battle=Battle.INDICATORS,
            )
        )
    return rows
