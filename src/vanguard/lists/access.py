"""How the lists' rows belong to a battle, for ``org.access.restrict``: a task-force member
sees the items of the battles their task force serves, with their checkpoints, progress
reports and lights, and no other battle's (``org.access.lists``)."""

from django.db.models import Q

from vanguard.lists.lights import KIND
from vanguard.lists.models import ListItem
from vanguard.org.access import register_battle_scope


def _items_lights(battles):
    """Every light but a list item's, and the lights of the items of ``battles``."""
    items = ListItem.objects.filter(battle__in=battles).values("pk")
    return ~Q(kind=KIND) | Q(object_id__in=items)


def register_battle_scopes():
    register_battle_scope("lists.listitem", lambda battles: Q(battle__in=battles))
    register_battle_scope("lists.checkpoint", lambda battles: Q(item__battle__in=battles))
    register_battle_scope("lists.progressreport", lambda battles: Q(item__battle__in=battles))
    register_battle_scope("supervision.lightstate", _items_lights)
    register_battle_scope("supervision.lightevent", _items_lights)
