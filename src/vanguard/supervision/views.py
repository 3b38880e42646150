"""The part of a unit's page that lists what the unit owes (一单位一清单)."""

from django.http import Http404
from django.utils import timezone

from vanguard.org.choices import Battle
from vanguard.org.queries import current_campaign
from vanguard.supervision.lights import last_recompute
from vanguard.supervision.owed import by_battle, unit_owed


def owed_part(request, unit):
    """``(template, context)`` of the unit's list in the current campaign; None without one.

    The unit's page has already checked that the user may see the unit.
    """
    try:
        campaign = current_campaign()
    except Http404:
        return None
    rows = unit_owed(campaign, unit, request.user)
    recomputed = last_recompute(campaign)
    labels = dict(Battle.choices)
    return (
        "supervision/_owed.html",
        {
            "campaign": campaign,
            "groups": [(labels.get(battle, battle), items) for battle, items in by_battle(rows)],
            "data_at": timezone.now(),
            "with_lights": True,
            "lights_at": recomputed.at if recomputed else None,
            "today": timezone.localdate(),
        },
    )
