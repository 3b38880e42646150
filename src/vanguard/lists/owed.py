"""What a unit owes on its list (一单位一清单), for its page (supervision.owed).

Each item assigned to the unit is a row with its light and why; it falls due with its
next checkpoint not yet reached by verified progress. Two queries for any number of
items.
"""

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse

from vanguard.lists.lights import KIND
from vanguard.lists.models import Checkpoint
from vanguard.lists.queries import items_for
from vanguard.org.choices import Battle
from vanguard.supervision.lights import lights_for
from vanguard.supervision.owed import Owed


def owed_items(campaign, unit, user, today=None):
    """The rows of the items ``unit`` owes in ``campaign`` that ``user`` sees (an item's
    next checkpoint does not depend on ``today``)."""
    return owed_items_of_units(campaign, [unit], user, today).get(unit.pk, [])


def owed_items_of_units(campaign, units, user, today=None):
    """``{unit id: rows}`` of the items ``units`` owe, in as many queries as for one."""
    next_due = (
        Checkpoint.objects.filter(item=OuterRef("pk"), reached_on__isnull=True)
        .order_by("due_date")
        .values("due_date")[:1]
    )
    items = list(
        items_for(user, campaign)
        .filter(unit__in=[u.pk for u in units])
        .annotate(next_due=Subquery(next_due))
        .annotate(responsible_user_id=F("responsible_person__user_id"))
        .only("pk", "code", "requirement", "battle", "unit_id")
        .order_by("code")
    )
    if not items:
        return {}
    states = lights_for(KIND, [item.pk for item in items], campaign=campaign)
    rows = {}
    for item in items:
        state = states.get(item.pk)
        rows.setdefault(item.unit_id, []).append(
            Owed(
                kind=KIND,
                label="{} {}".format(item.code, _short(item.requirement)),
                url=reverse("lists:detail", args=[item.code]) + "?campaign=" + campaign.code,
                light=state.light if state else None,
                reason=state.reason_text if state else "",
                due=item.next_due,
                battle=Battle(item.battle),
                responsible_user_ids=(item.responsible_user_id,),
            )
        )
    return rows


def _short(text, length=40):
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
