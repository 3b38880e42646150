"""Who may see and work city cases (城市管理案件).

The national workflow has two sides: the supervision and command centre, which
registers, dispatches, decides on returns and postponements and checks; and the
responsible unit, which handles. Here:

- the office and the city-work task force keep the pool: register or discard reports,
  dispatch, decide returns (退单) and postponements (缓办), merge duplicates, and patrol;
- the reporters of the responsible unit sign for, return, handle and reply, and ask for
  a postponement, only while the case is at their door;
- a check (核查) is made by the office or the city-work task force, never by the person
  who handled the case nor by a reporter of the responsible unit;
- the office, leaders and the city-work task force see every case; a reporter sees the
  cases dispatched to their units; a member of another task force sees only those.

The rules read ``unit_id``, ``state`` and ``handled_by_id`` of the case given and import
no model of city work.
"""

from django.utils.translation import gettext as _

from vanguard.org.access import USER_RULES, access_for, manages_battle, reports_for, require, rule
from vanguard.org.choices import Battle, Role

__all__ = [
    "may_add_case_photos",
    "may_check_case",
    "may_handle_case",
    "may_keep_cases",
    "may_patrol",
    "may_see_cases",
    "require_add_case_photos",
    "require_check_case",
    "require_handle_case",
    "require_keep_cases",
    "require_patrol",
]

_AT_THE_UNIT = {"dispatched", "returned"}


@rule
def may_see_cases(user):
    """Whoever takes part sees the case pages, narrowed to the cases they may see."""
    return access_for(user).takes_part


@rule
def may_keep_cases(user):
    """The office and the city-work task force register, dispatch and decide."""
    return manages_battle(user, Battle.CITYWORK)


def require_keep_cases(user):
    require(
        may_keep_cases(user),
        _("Only the headquarters office or the city-work task force may do this to a case."),
    )


# Patrols are the task force's and the office's; their findings are registered at once.
may_patrol = may_keep_cases


def require_patrol(user):
    require(may_patrol(user), _("Only patrol members of the city-work task force may patrol."))


@rule
def may_handle_case(user, case):
    """The responsible unit's reporters, while the case is at their door."""
    return case.state in _AT_THE_UNIT and reports_for(user, case.unit_id)


def require_handle_case(user, case):
    """Refuse anyone but the responsible unit's reporters; the caller checks the state the
    step needs (a case that moved on meanwhile is refused as stale, not as forbidden)."""
    require(
        reports_for(user, case.unit_id),
        _("Only a reporter of the responsible unit may handle case {number}.").format(
            number=case.number
        ),
    )


@rule
def may_check_case(user, case=None):
    """The office or the city-work task force checks, never the handler nor their unit."""
    if case is not None:
        access = access_for(user)
        if reports_for(user, case.unit_id) or (
            case.handled_by_id is not None and case.handled_by_id == access.user_id
        ):
            return False
    return manages_battle(user, Battle.CITYWORK)


def require_check_case(user, case):
    if case.handled_by_id is not None and case.handled_by_id == access_for(user).user_id:
        require(False, _("The person who handled a case never checks it."))
    if reports_for(user, case.unit_id):
        require(False, _("A unit never checks its own work: the city-work task force does."))
    require(
        may_check_case(user, case),
        _("Only the headquarters office or the city-work task force may check a case."),
    )


@rule
def may_add_case_photos(user, case, role):
    """Photos of the problem (as reported, before) are the office's and the task force's
    to add while the case is open; "after" photos are the unit's while the case is at its
    door, and the checker's once it is handled."""
    if role == "after":
        if case.state == "handled":
            return may_check_case(user, case)
        return case.state == "dispatched" and reports_for(user, case.unit_id)
    return role in ("report", "before") and case.is_open and may_keep_cases(user)


def require_add_case_photos(user, case, role):
    require(
        may_add_case_photos(user, case, role),
        _(
            "Photos of the problem are added by the office or the city-work task force while"
            " the case is open; after photos by the responsible unit while it handles the case,"
            " or by its checker once handled."
        ),
    )


def narrow_cases(queryset, user):
    """Narrow a ``restrict``-ed queryset of cases: a member of another task force sees only
    the cases of the units they report for."""
    access = access_for(user)
    if access.system or access.roles & {Role.OFFICE, Role.LEADER}:
        return queryset
    if Battle.CITYWORK in access.battles:
        return queryset
    if access.has(Role.TASK_FORCE_MEMBER):
        return queryset.filter(unit_id__in=access.unit_ids)
    return queryset


__all__ += ["narrow_cases"]

USER_RULES["see_cases"] = may_see_cases
USER_RULES["keep_cases"] = may_keep_cases
USER_RULES["check_cases"] = may_check_case
