"""The one access module: who may see and change what.

Every page, export, API endpoint, admin screen, the board and the bulletin ask this
module, and every action checks its writes here. ``restrict(queryset, user)`` narrows a
queryset to what the user may see; the ``may_*`` rules decide writes and the
``require_*`` helpers raise PermissionDenied, the same rule for an action, the page or
API operation that calls it, and the template that offers the button. The module
imports no other app's models: a rule reads the attributes of the object it is given
(a project's ``lead_unit_id``, a problem's ``battle``), and each app declares how its
rows belong to a unit with ``register_unit_field`` in its ``AppConfig.ready()``.

Rules (foundation):
- Office and leaders see everything in the campaign; task-force members too (their
  writes are limited to their battle), except the rows an app registers as one
  battle's business (``register_battle_scope``: a list item and its light), which they
  see for their own battles only. The discipline inspector reads the cases referred
  to the commission, not the units' daily data.
- A unit reporter sees campaign-wide facts (campaign, task forces, targets) and the
  data of their own units only.
- Sectors and the key-enterprise register are kept by the indicators task force and
  the office; an enterprise's figures, expectation and visits are also entered by the
  reporters of the unit that serves it (``may_serve_enterprise``).
- System, security and audit administrators (三员分立) each have one area in the
  admin, and none can do the others' work: the system administrator keeps accounts,
  units and reference data; the security administrator assigns roles; the audit
  administrator reads the change log. They do not take part in the campaign itself.
- ``SYSTEM`` (the command line, the demo, plan loads, scheduled jobs) passes every
  rule but one (it files no dekad report: a report is a unit's word); ``None`` is no
  actor and passes none (docs/decisions/0016).
"""

import functools
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from vanguard.core.actors import SYSTEM
from vanguard.org.access.held import ROLES
from vanguard.org.choices import Battle, Role

__all__ = ["SYSTEM"]  # re-exported: actions and commands name the system through org.access

_CACHE_ATTR = "_vanguard_access"

# Roles that see every unit's data. The discipline inspector is not one of them: the
# commission reads the cases referred to it and what they contain, not the units' daily
# figures or the phone directory.
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
    # The navigation names the person without reading them again.
    person_name: str = ""
    superuser: bool = False
    # The platform itself (SYSTEM): sees everything, passes every rule.
    system: bool = False
    _extra: dict = field(default_factory=dict)

    def has(self, role):
        return role in self.roles

    @cached_property
    def sees_all_units(self):
        return self.system or bool(self.roles & _SEE_ALL)

    @property
    def takes_part(self):
        """True for anyone with a campaign role (not only an administrator role)."""
        return self.system or bool(
            self.roles - {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
        )


ANONYMOUS = Access(user_id=None)
SYSTEM_ACCESS = Access(user_id=None, system=True)


def access_for(user):
    """Return (and cache on the user object) what ``user`` holds."""
    if user is SYSTEM:
        return SYSTEM_ACCESS
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    rows = ROLES.rows(user.pk)
    access = Access(
        user_id=user.pk,
        roles=frozenset(r[0] for r in rows),
        unit_ids=frozenset(r[1] for r in rows if r[0] == Role.UNIT_REPORTER),
        task_force_ids=frozenset(r[2] for r in rows if r[0] == Role.TASK_FORCE_MEMBER),
        battles=frozenset(r[3] for r in rows if r[0] == Role.TASK_FORCE_MEMBER),
        person_id=rows[0][4] if rows else None,
        person_name=rows[0][5] if rows else "",
        superuser=user.is_superuser,
    )
    setattr(user, _CACHE_ATTR, access)
    return access


def forget(user):
    """Drop the cached access of ``user`` (after its roles changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


# --- seeing -------------------------------------------------------------------------

# model label -> how rows of that model belong to a unit: a field path to the unit
# ("" means campaign-wide), or a function of the reporter's unit ids giving a Q object
# for rows that belong to units in more than one way. Each app registers its own
# models in its ``AppConfig.ready()``.
UNIT_FIELD = {
    "org.unit": "pk",
    "org.person": "unit",
    "org.campaign": "",
    "org.taskforce": "",
    "org.headquarters": "",
    "org.office": "",
    "org.reportdeadline": "",
}


def register_unit_field(model_label, unit_field):
    """Declare how rows of a model belong to a unit, so ``restrict`` knows them.

    ``unit_field`` is a path to the unit (``"lead_unit"``), ``""`` for campaign-wide rows,
    or a function ``unit_ids -> Q`` for rows that belong to units in several ways.
    """
    UNIT_FIELD[model_label.lower()] = unit_field


# model label -> [battles -> Q]: rows that are one battle's business (a list item, its
# checkpoints, reports and light). A task-force member sees every unit's data but these
# rows only for the battles their task force serves (and for the units they report for);
# the office and leaders see them all. Each app registers its own in ``ready()``.
BATTLE_SCOPES = {}
_SEE_EVERY_BATTLE = {Role.OFFICE, Role.LEADER}


def register_battle_scope(model_label, scope):
    """Declare rows of a model a task-force member sees only for their own battles.

    ``scope(battles)`` is a Q of the rows of ``battles``; a model may have several (an
    app's light kind each), and a row must pass all of them.
    """
    BATTLE_SCOPES.setdefault(model_label.lower(), []).append(scope)


def _battle_scope(queryset, access, unit_field):
    scopes = BATTLE_SCOPES.get(queryset.model._meta.label_lower)
    if not scopes or access.system or access.roles & _SEE_EVERY_BATTLE:
        return queryset
    seen = Q()
    for scope in scopes:
        seen &= scope(access.battles)
    if unit_field and access.unit_ids:
        seen |= _unit_scope(unit_field, access.unit_ids)
    return queryset.filter(seen)


def _unit_scope(unit_field, unit_ids):
    if callable(unit_field):
        return unit_field(unit_ids)
    return Q(**{unit_field + "__in": unit_ids})


def restrict(queryset, user):
    """Narrow ``queryset`` to the rows ``user`` may see."""
    access = access_for(user)
    label = queryset.model._meta.label_lower
    if label not in UNIT_FIELD:
        raise KeyError(f"org.access has no rule for {label}")
    if not access.takes_part:
        return queryset.none()
    unit_field = UNIT_FIELD[label]
    if access.sees_all_units:
        return _battle_scope(queryset, access, unit_field)
    if unit_field == "":
        return queryset
    if not access.unit_ids:
        return queryset.none()
    return queryset.filter(_unit_scope(unit_field, access.unit_ids))


def scope_key(user):
    """A short text naming which rows ``restrict`` lets ``user`` see: two users with the
    same key see the same rows of every model, so a figure cached under it is theirs to
    share."""
    access = access_for(user)
    if not access.takes_part:
        return "none"
    if access.system or access.roles & _SEE_EVERY_BATTLE:
        return "all"
    units = ",".join(str(pk) for pk in sorted(access.unit_ids))
    if access.sees_all_units:
        return "battles:{};units:{}".format(",".join(sorted(access.battles)), units)
    return "units:" + units


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


# --- the parts rules are made of ---------------------------------------------------------


def rule(func):
    """Make ``func(user, ...)`` an access rule: SYSTEM passes it, no actor (None) fails it."""

    @functools.wraps(func)
    def decide(user, *args, **kwargs):
        if user is SYSTEM:
            return True
        if user is None:
            return False
        return bool(func(user, *args, **kwargs))

    return decide


def require(allowed, message=None):
    """Raise PermissionDenied (saying ``message``) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


@rule
def reports_for(user, unit_id):
    """True when ``user`` is a reporter of the unit."""
    return unit_id is not None and unit_id in access_for(user).unit_ids


@rule
def serves_battle(user, battle):
    """True when ``user`` is a member of the task force that owns ``battle``."""
    return battle in access_for(user).battles


@rule
def manages_battle(user, battle):
    """True when ``user`` may keep a battle's items: the office or the battle's task force."""
    access = access_for(user)
    return access.has(Role.OFFICE) or battle in access.battles


@rule
def holds_role(user, *roles):
    """True when ``user`` holds one of ``roles``."""
    return bool(access_for(user).roles & set(roles))


@rule
def takes_part(user):
    """True when ``user`` has a campaign role: the campaign's pages open to them."""
    return access_for(user).takes_part


def require_participant(user):
    """Raise PermissionDenied unless ``user`` takes part in the campaign."""
    require(takes_part(user))


# --- the organisation and the plan ---------------------------------------------------------


@rule
def may_change_organisation(user):
    """Units and people are kept by the headquarters office in the campaign."""
    return access_for(user).has(Role.OFFICE)


def require_change_organisation(user):
    require(
        may_change_organisation(user),
        _("Only the headquarters office may change units and people."),
    )


@rule
def may_assign_roles(user):
    """Roles are given by the security administrator (see ``check_role_assignment``)."""
    return access_for(user).has(Role.SECURITY_ADMIN)


def require_assign_roles(user):
    require(may_assign_roles(user), _("Only the security administrator may assign roles."))


@rule
def may_load_plan(user):
    """A plan file (the campaign, its task forces and targets) is loaded by the office."""
    return access_for(user).has(Role.OFFICE)


def require_load_plan(user):
    require(may_load_plan(user), _("Only the headquarters office may load the campaign plan."))


@rule
def may_keep_calendar(user):
    """The office keeps the holiday calendar current (and is told when a year is missing)."""
    return access_for(user).has(Role.OFFICE)


@rule
def may_set_light_policy(user):
    """The thresholds of the status lights are the office's."""
    return access_for(user).has(Role.OFFICE)


# --- major projects ----------------------------------------------------------------------


@rule
def may_manage_projects(user):
    """The office and the projects task force keep projects: create, change, plan key nodes,
    mark them not needed, move stages, import the project sheet."""
    return manages_battle(user, Battle.PROJECTS)


def require_manage_projects(user):
    require(
        may_manage_projects(user),
        _("Only the headquarters office or the projects task force may change projects."),
    )


@rule
def may_certify(user, battle):
    """A battle's task force certifies and returns the reports filed in it (the projects'
    dekad reports); neither the office nor another battle's task force does."""
    return serves_battle(user, battle)


def require_certify(user, battle):
    require(
        may_certify(user, battle), _("Only the projects task force may certify or return reports.")
    )


def may_report(user, project):
    """The reporters of a project's lead unit file and correct its dekad reports.

    The system files none: a report is the unit's word, signed by its reporter's account.
    """
    return user is not SYSTEM and reports_for(user, project.lead_unit_id)


def require_report(user, project):
    # The lead unit is named only to one refused: a filing reads it from nowhere else.
    if not may_report(user, project):
        require(
            False,
            _("Only a reporter of the lead unit ({unit}) may report on project {code}.").format(
                unit=project.lead_unit, code=project.code
            ),
        )


@rule
def may_file_reports(user):
    """Whoever reports for a unit may use the dekad workbook (each row is checked by
    ``may_report``)."""
    return bool(access_for(user).unit_ids)


@rule
def may_upload_evidence(user, project):
    """A key node's evidence: the lead unit's reporters, the office, the projects task force."""
    return may_manage_projects(user) or may_report(user, project)


def require_upload_evidence(user, project):
    require(
        may_upload_evidence(user, project),
        _(
            "Only a reporter of the lead unit ({unit}), the headquarters office or the "
            "projects task force may upload evidence for project {code}."
        ).format(unit=project.lead_unit, code=project.code),
    )


# --- indicators ----------------------------------------------------------------------------


@rule
def may_manage_indicators(user):
    """The office and the indicators task force keep the indicators' data."""
    return manages_battle(user, Battle.INDICATORS)


@rule
def may_enter_figures(user, indicator):
    """The office and the indicators task force enter any indicator's figures; a unit
    reporter those of the indicators their unit is responsible for."""
    return may_manage_indicators(user) or reports_for(user, indicator.responsible_unit_id)


def require_enter_figures(user, indicator):
    require(
        may_enter_figures(user, indicator),
        _(
            "Only reporters of {unit} (responsible for {indicator}), the indicators task"
            " force or the headquarters office may enter its figures."
        ).format(unit=indicator.responsible_unit_name, indicator=indicator.name),
    )


@rule
def may_enter_some_figures(user):
    """Whoever may enter some indicator's figures: the office, the indicators task force and
    unit reporters (which indicator is decided by ``may_enter_figures``). Doors ask it
    before reading the indicator a request names, so that a refused account is told so."""
    return may_manage_indicators(user) or bool(access_for(user).unit_ids)


@rule
def may_import_figures(user, indicators):
    """The statistics table: whoever may enter the figures of one of ``indicators``."""
    return any(may_enter_figures(user, indicator) for indicator in indicators)


# --- sectors and key enterprises -------------------------------------------------------------


@rule
def may_manage_enterprises(user):
    """Sectors and the key-enterprise register itself (name, credit code, sector, serving
    unit) are kept by the office and the indicators task force."""
    return manages_battle(user, Battle.INDICATORS)


@rule
def may_serve_enterprise(user, enterprise):
    """An enterprise's monthly figures, its expectation and its visits are entered by those
    who keep the register and by the reporters of the unit that serves it."""
    return may_manage_enterprises(user) or reports_for(user, enterprise.serving_unit_id)


def require_manage_enterprises(user):
    require(
        may_manage_enterprises(user),
        _("Only the indicators task force or the headquarters office may do this."),
    )


def require_serve_enterprise(user, enterprise):
    require(
        may_serve_enterprise(user, enterprise),
        _(
            "Only reporters of {unit} (which serves {enterprise}), the indicators task force"
            " or the headquarters office may do this."
        ).format(unit=enterprise.serving_unit.name, enterprise=enterprise.name),
    )


# --- blockers (problems) ---------------------------------------------------------------------


@rule
def may_raise_blockers(user, battle, unit_id):
    """Problems about a source (a project, a key enterprise) are raised by the office, the task
    force of its battle and the reporters of the unit answerable for it."""
    return manages_battle(user, battle) or reports_for(user, unit_id)


def require_raise_blockers(user, battle, unit_id):
    require(may_raise_blockers(user, battle, unit_id), _("You may not raise problems here."))


@rule
def may_dispatch_blocker(user, blocker):
    """A problem goes to another unit by the office or the task force of its battle
    (``blocker.battle``, from its source); a task force never handles another battle's."""
    return manages_battle(user, blocker.battle)


def require_dispatch_blocker(user, blocker):
    require(
        may_dispatch_blocker(user, blocker),
        _("Only the headquarters office or its task force may dispatch this problem."),
    )


@rule
def may_handle_blocker(user, blocker):
    """A problem is followed up and closed by those who dispatch it and by the reporters of
    the unit that owns it now."""
    return may_dispatch_blocker(user, blocker) or reports_for(user, blocker.unit_id)


def require_follow_up_blocker(user, blocker):
    require(may_handle_blocker(user, blocker), _("You may not follow up this problem."))


def require_resolve_blocker(user, blocker):
    require(may_handle_blocker(user, blocker), _("You may not close this problem."))


# Rules that take only the user, by the name templates use: {% if user|may:"manage_projects" %}.
USER_RULES = {
    "take_part": takes_part,
    "manage_projects": may_manage_projects,
    "certify_projects": lambda user: may_certify(user, Battle.PROJECTS),
    "file_reports": may_file_reports,
    "manage_indicators": may_manage_indicators,
}


# --- rules kept in modules of their own --------------------------------------------------
# A subject with many rules (the supervision workflow: lists, orders, talks, referrals, the
# bulletin) keeps them in a module of this package, imported here so that every caller
# still names a rule through ``org.access`` and templates find it in ``USER_RULES``.

# The administrators (三员分立); talks and referrals; orders, the ladder's proposals and
# exemptions; the units' lists; the monthly bulletin, the map, the display board, city
# work's weekly work, its photos' originals, patrols and volunteer activities (their
# modules add their template names to USER_RULES themselves).
from vanguard.org.access import admins as _admins  # noqa: E402
from vanguard.org.access import board as _board  # noqa: E402
from vanguard.org.access import bulletins as _bulletins  # noqa: E402
from vanguard.org.access import cases as _cases  # noqa: E402
from vanguard.org.access import lists as _lists  # noqa: E402
from vanguard.org.access import maps as _maps  # noqa: E402
from vanguard.org.access import notices as _notices  # noqa: E402
from vanguard.org.access import orders as _orders  # noqa: E402
from vanguard.org.access import patrols as _patrols  # noqa: E402
from vanguard.org.access import photos as _photos  # noqa: E402
from vanguard.org.access import talks as _talks  # noqa: E402
from vanguard.org.access import volunteers as _volunteers  # noqa: E402
from vanguard.org.access import weekly as _weekly  # noqa: E402
from vanguard.org.access.admins import *  # noqa: E402, F403
from vanguard.org.access.board import *  # noqa: E402, F403
from vanguard.org.access.bulletins import *  # noqa: E402, F403
from vanguard.org.access.cases import *  # noqa: E402, F403
from vanguard.org.access.lists import *  # noqa: E402, F403
from vanguard.org.access.maps import *  # noqa: E402, F403
from vanguard.org.access.notices import *  # noqa: E402, F403
from vanguard.org.access.orders import *  # noqa: E402, F403
from vanguard.org.access.patrols import *  # noqa: E402, F403
from vanguard.org.access.photos import *  # noqa: E402, F403
from vanguard.org.access.talks import *  # noqa: E402, F403
from vanguard.org.access.volunteers import *  # noqa: E402, F403
from vanguard.org.access.weekly import *  # noqa: E402, F403

for _module in (
    _admins,
    _board,
    _cases,
    _talks,
    _orders,
    _lists,
    _bulletins,
    _maps,
    _weekly,
    _notices,
    _photos,
    _patrols,
    _volunteers,
):  # no two of them share a name
    __all__ += _module.__all__
USER_RULES.update({**_talks.USER_RULES, **_orders.ORDER_USER_RULES, **_lists.LIST_USER_RULES})
