"""Who administers the platform (三员分立), and who may reset, change and assign accounts
and roles: the system, security and audit administrators each have one area in the
admin, and none can do the others' work (see the package's docstring)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from vanguard.org.access import access_for, may_assign_roles, rule
from vanguard.org.choices import Role

__all__ = [
    "ADMIN_AREA_AUDIT",
    "ADMIN_AREA_SECURITY",
    "ADMIN_AREA_SYSTEM",
    "admin_enters",
    "admin_may",
    "check_role_assignment",
    "holds_admin_role",
    "may_change_account",
    "require_password_reset",
]

# --- the admin (三员分立) ---------------------------------------------------------------

ADMIN_AREA_SYSTEM = "system"
ADMIN_AREA_SECURITY = "security"
ADMIN_AREA_AUDIT = "audit"

_AREA_ROLE = {
    ADMIN_AREA_SYSTEM: Role.SYSTEM_ADMIN,
    ADMIN_AREA_SECURITY: Role.SECURITY_ADMIN,
    ADMIN_AREA_AUDIT: Role.AUDIT_ADMIN,
}


def admin_may(user, area, action):
    """True when ``user`` may do ``action`` (view/add/change/delete) in an admin ``area``.

    The audit area is read-only for everyone: the change log is append-only.
    """
    access = access_for(user)
    if not access.has(_AREA_ROLE[area]):
        return False
    if area == ADMIN_AREA_AUDIT:
        return action == "view"
    return True


def admin_enters(user):
    """True when ``user`` may open the admin at all."""
    access = access_for(user)
    return bool(access.roles & set(_AREA_ROLE.values()))


# --- accounts and roles: who may reset, change and assign --------------------------------


def holds_admin_role(user):
    """True when ``user`` is one of the three administrators."""
    from vanguard.org.choices import ADMIN_ROLES

    return bool(access_for(user).roles & ADMIN_ROLES)


@rule
def may_change_account(actor, user):
    """The system administrator keeps accounts, but never an administrator's, own included.

    An administrator's account is kept from the command line (``vanguard setup``), so no
    administrator can take over another's work by taking over their account.
    """
    if not access_for(actor).has(Role.SYSTEM_ADMIN):
        return False
    return user is None or not holds_admin_role(user)


def require_password_reset(actor, user):
    """Raise PermissionDenied unless ``actor`` may reset the password of ``user``."""
    if actor is None or not may_change_account(actor, user) or actor.pk == user.pk:
        raise PermissionDenied


def check_role_assignment(actor, person, role):
    """Raise unless ``actor`` may give ``role`` to ``person``; a refusal says why.

    Only the security administrator assigns roles, never to himself; an administrator
    role is held alone, apart from every other role.
    """
    from django.core.exceptions import ValidationError

    from vanguard.org.choices import ADMIN_ROLES
    from vanguard.org.models import RoleAssignment

    if not may_assign_roles(actor):
        raise PermissionDenied
    if person.user_id is not None and person.user_id == actor.pk:
        raise ValidationError(
            _("Nobody can give themselves a role; another security administrator must.")
        )
    held = set(RoleAssignment.objects.filter(person=person).values_list("role", flat=True))
    if role in ADMIN_ROLES and held - {role}:
        raise ValidationError(
            _("An administrator role is held alone: this person already holds another role.")
        )
    if held & ADMIN_ROLES and role not in held:
        raise ValidationError(
            _("This person is an administrator; an administrator holds no other role.")
        )
