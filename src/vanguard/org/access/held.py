"""The one read of what a user holds, which every request makes (see ``access_for``)."""

from vanguard.core.compiled import Compiled


def _roles_of(user_id):
    from vanguard.org.models import RoleAssignment

    return RoleAssignment.objects.filter(person__user_id=user_id).values_list(
        "role", "unit_id", "task_force_id", "task_force__battle", "person_id", "person__name"
    )


# A user's roles, their units, task forces and battles, and the person's name: the SQL
# is written once a process (for a stand-in user id).
ROLES = Compiled(_roles_of, -918273645)
