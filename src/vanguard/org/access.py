"""The one access module: who may see and change what.

Every page, export, API endpoint, admin screen, the board and the bulletin ask this
module. ``restrict(queryset, user)`` narrows a queryset to what the user may see;
``can_change(user, obj)`` decides writes; ``require_*`` helpers raise PermissionDenied.

Rules (foundation):
- Office and leaders see everything in the campaign; task-force members too (their
  writes are limited to their battle). The discipline inspector reads the cases
  referred to the commission, not the units' daily data.
- A unit reporter sees campaign-wide facts (campaign, task forces, targets) and the
  data of their own units only.
- Sectors and the key-enterprise register are kept by the indicators task force and
  the office; an enterprise's figures, expectation and visits are also entered by the
  reporters of the unit that serves it (``may_serve_enterprise``).
- System, security and audit administrators (三员分立) each have one area in the
  admin, and none can do the others' work: the system administrator keeps accounts,
  units and reference data; the security administrator assigns roles; the audit
  administrator reads the change log. They do not take part in the campaign itself.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from vanguard.org.choices import Battle, Role

_CACHE_ATTR = "_vanguard_access"

# Roles that see every unit's data. The discipline inspector is not one of them: the
# commission reads the cases referred to it and what they contain, not the units'
# daily figures or the phone directory.
_SEE_ALL = {Role.OFFICE, Role.LEADER, Role.TASK_FORCE_MEMBER}


@dataclass
class Access:
    """What one user holds: roles, the units they report for, the task forces they serve."""

    user_id: int | None
    roles: frozenset = frozenset()
    unit_ids: frozenset = frozenset()
    task_force_ids: frozenset = frozenset()
    battles: frozenset = frozenset()
    person_id: int | None = None
    superuser: bool = False
    _extra: dict = field(default_factory=dict)

    def has(self, role):
        return role in self.roles

    @cached_property
    def sees_all_units(self):
        return bool(self.roles & _SEE_ALL)

    @property
    def takes_part(self):
        """True for anyone with a campaign role (not only an administrator role)."""
        return bool(self.roles - {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


ANONYMOUS = Access(user_id=None)


def access_for(user):
    """Return (and cache on the user object) what ``user`` holds."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from vanguard.org.models import RoleAssignment

    rows = list(
        RoleAssignment.objects.filter(person__user=user).values_list(
            "role", "unit_id", "task_force_id", "task_force__battle", "person_id"
        )
    )
    access = Access(
        user_id=user.pk,
        roles=frozenset(r[0] for r in rows),
        unit_ids=frozenset(r[1] for r in rows if r[0] == Role.UNIT_REPORTER),
        task_force_ids=frozenset(r[2] for r in rows if r[0] == Role.TASK_FORCE_MEMBER),
        battles=frozenset(r[3] for r in rows if r[0] == Role.TASK_FORCE_MEMBER),
        person_id=rows[0][4] if rows else None,
        superuser=user.is_superuser,
    )
    setattr(user, _CACHE_ATTR, access)
    return access


def forget(user):
    """Drop the cached access of ``user`` (after its roles changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


# --- seeing -------------------------------------------------------------------------


def _unit_scope(access, unit_field):
    """A Q object limiting rows to the user's units (through ``unit_field``)."""
    if access.sees_all_units:
        return Q()
    if access.unit_ids:
        return Q(**{unit_field + "__in": access.unit_ids})
    return None


# model label -> how rows of that model belong to a unit ("" means campaign-wide).
UNIT_FIELD = {
    "org.unit": "pk",
    "org.person": "unit",
    "org.campaign": "",
    "org.taskforce": "",
    "org.headquarters": "",
    "org.office": "",
    "org.reportdeadline": "",
    "targets.target": "",
    "targets.checkpoint": "",
    "projects.keynode": "",
    "projects.project": "lead_unit",
    "projects.milestone": "project__lead_unit",
    "projects.stagechange": "project__lead_unit",
    "projects.dekadreport": "unit",
    "projects.reportednode": "report__unit",
    "blockers.blocker": "unit",
    # Indicators and their figures are campaign-wide facts every participant sees; who
    # may enter a figure is decided by the indicators actions (responsible unit, task force).
    "indicators.area": "",
    "indicators.indicator": "",
    "indicators.observation": "",
}


def register_unit_field(model_label, unit_field):
    """Let a later app declare how its rows belong to a unit, so ``restrict`` knows them
    (called from the app's ``AppConfig.ready()``: the enterprises app's, for one)."""
    UNIT_FIELD[model_label.lower()] = unit_field


def restrict(queryset, user, action="view"):
    """Narrow ``queryset`` to the rows ``user`` may see (or change, with action="change")."""
    access = access_for(user)
    label = queryset.model._meta.label_lower
    if label not in UNIT_FIELD:
        raise KeyError(f"org.access has no rule for {label}")
    if action == "change":
        return queryset.filter(pk__in=[]) if not _may_change_model(access, label) else queryset
    if not access.takes_part:
        return queryset.none()
    unit_field = UNIT_FIELD[label]
    if unit_field == "":
        return queryset
    scope = _unit_scope(access, unit_field)
    if scope is None:
        return queryset.none()
    return queryset.filter(scope)


# How much of the campaign's unit data a user sees (``data_scope``).
SCOPE_ALL = "all"
SCOPE_UNITS = "units"
SCOPE_NONE = "none"


def data_scope(user):
    """``SCOPE_ALL`` (every unit), ``SCOPE_UNITS`` (their own units) or ``SCOPE_NONE``.

    A page of counts over units says which: with every unit it may judge them against
    the district's targets; with some units it shows their counts without the district's
    lights and gaps; with none it says the account has no data access yet.
    """
    access = access_for(user)
    if not access.takes_part:
        return SCOPE_NONE
    if access.sees_all_units:
        return SCOPE_ALL
    return SCOPE_UNITS if access.unit_ids else SCOPE_NONE


def can_view(user, obj):
    """True when ``user`` may see ``obj``."""
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def _may_change_model(access, label):
    # Organisation and plan data are kept by the office in the campaign.
    return access.has(Role.OFFICE)


def can_change(user, obj):
    """True when ``user`` may change ``obj`` through the campaign's own pages and API."""
    access = access_for(user)
    return _may_change_model(access, type(obj)._meta.label_lower) and can_view(user, obj)


def require_view(user, obj):
    """Raise PermissionDenied unless ``user`` may see ``obj``."""
    if not can_view(user, obj):
        raise PermissionDenied


def require_change(user, obj):
    """Raise PermissionDenied unless ``user`` may change ``obj``."""
    if not can_change(user, obj):
        raise PermissionDenied


def reports_for(user, unit_id):
    """True when ``user`` is a reporter of the unit."""
    return unit_id in access_for(user).unit_ids


def serves_battle(user, battle):
    """True when ``user`` is a member of the task force that owns ``battle``."""
    return battle in access_for(user).battles


def manages_battle(user, battle):
    """True when ``user`` may keep a battle's items: the office or the battle's task force."""
    access = access_for(user)
    return access.has(Role.OFFICE) or battle in access.battles


def require_role(user, *roles):
    """Raise PermissionDenied unless ``user`` holds one of ``roles``."""
    if not access_for(user).roles & set(roles):
        raise PermissionDenied


# --- sectors and key enterprises -----------------------------------------------------------


def may_manage_enterprises(user):
    """True when ``user`` keeps sectors and the key-enterprise register itself (name, credit
    code, sector, serving unit): the indicators task force and the office.

    ``None`` is the system itself (the demo, an import run by the command line).
    """
    return user is None or manages_battle(user, Battle.INDICATORS)


def may_serve_enterprise(user, enterprise):
    """True when ``user`` may enter an enterprise's monthly figures, its expectation and its
    visits: those who keep the register, and the reporters of the unit that serves it."""
    return may_manage_enterprises(user) or reports_for(user, enterprise.serving_unit_id)


def require_manage_enterprises(user):
    """Raise PermissionDenied unless ``user`` keeps sectors and the key-enterprise register."""
    if not may_manage_enterprises(user):
        raise PermissionDenied(
            _("Only the indicators task force or the headquarters office may do this.")
        )


def require_serve_enterprise(user, enterprise):
    """Raise PermissionDenied, naming the serving unit, unless ``user`` may serve ``enterprise``."""
    if not may_serve_enterprise(user, enterprise):
        raise PermissionDenied(
            _(
                "Only reporters of {unit} (which serves {enterprise}), the indicators task force"
                " or the headquarters office may do this."
            ).format(unit=enterprise.serving_unit.name, enterprise=enterprise.name)
        )


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
    from django.utils.translation import gettext as _

    from vanguard.org.choices import ADMIN_ROLES
    from vanguard.org.models import RoleAssignment

    if actor is None or not access_for(actor).has(Role.SECURITY_ADMIN):
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
