"""Who is told: the reporters of units, the office."""

from django.contrib.auth import get_user_model

from vanguard.org.choices import Role
from vanguard.org.models import RoleAssignment


def reporters_by_unit(unit_ids):
    """``{unit id: [user ids]}`` of the active reporters of each unit, in one query."""
    found = {}
    rows = RoleAssignment.objects.filter(
        role=Role.UNIT_REPORTER, unit_id__in=list(unit_ids), person__user__is_active=True
    ).values_list("unit_id", "person__user_id")
    for unit_id, user_id in rows.order_by("unit_id", "person__user_id"):
        found.setdefault(unit_id, []).append(user_id)
    return found


def reporters_of(unit_id):
    """The user ids of the active reporters of one unit."""
    return reporters_by_unit([unit_id]).get(unit_id, [])


def office_users():
    """The user ids of the active people of the headquarters office."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, person__roles__role=Role.OFFICE)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
