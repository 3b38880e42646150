"""How the lists' rows belong to a battle, for ``org.access.restrict``: a task-force member
sees the items of the battles their task force serves, with their checkpoints, progress
reports and lights, and the supervision orders, proposals, exemptions and talks about
them, and no other battle's (``org.access.lists``)."""

from django.db.models import Q

from vanguard.lists.lights import KIND
from vanguard.lists.models import ListItem
from vanguard.org.access import register_battle_scope


def _items_lights(battles):
    """Every light but a list item's, and the lights of the items of ``battles``."""
    items = ListItem.objects.filter(battle__in=battles).values("pk")
    return ~Q(kind=KIND) | Q(object_id__in=items)


def _about_items(kind_field):
    """Rows about a subject (``kind_field``, ``object_id``): every row about anything but a
    list item, and those about the items of ``battles``."""

    def scope(battles):
        items = ListItem.objects.filter(battle__in=battles).values("pk")
        return ~Q(**{kind_field: KIND}) | Q(object_id__in=items)

    return scope


def register_battle_scopes():
    register_battle_scope("lists.listitem", lambda battles: Q(battle__in=battles))
    register_battle_scope("lists.checkpoint", lambda battles: Q(item__battle__in=battles))
    register_battle_scope("lists.progressreport", lambda battles: Q(item__battle__in=battles))
    register_battle_scope("supervision.lightstate", _items_lights)
    register_battle_scope("supervision.lightevent", _items_lights)
    # What supervision says about an item is that item's battle's business too.
    register_battle_scope("supervision.supervisionorder", _about_items("subject_kind"))
    register_battle_scope("supervision.proposal", _about_items("subject_kind"))
    register_battle_scope("supervision.exemption", _about_items("subject_kind"))
    register_battle_scope("supervision.talk", _about_items("kind"))
