"""Who may see a patrol (巡查) and record what it finds.

Patrols are the office's and the city-work task force's (``may_patrol``). A member starts
and ends their own patrol and records its findings while it is open; the office and the
task force read every patrol's summary, the others none. The rules read ``member_id``
and ``ended_at`` of the patrol given and import no model of city work.
"""

from django.utils.translation import gettext as _

from vanguard.org.access import USER_RULES, access_for, require, rule
from vanguard.org.access.cases import may_keep_cases, may_patrol

__all__ = [
    "may_end_patrol",
    "may_record_finding",
    "may_see_patrol",
    "narrow_patrols",
    "require_end_patrol",
    "require_record_finding",
    "require_see_patrol",
]


def _own(user, patrol):
    access = access_for(user)
    return access.user_id is not None and patrol.member_id == access.user_id


@rule
def may_see_patrol(user, patrol):
    """The member who patrolled, the office and the city-work task force."""
    return _own(user, patrol) or may_keep_cases(user)


def require_see_patrol(user, patrol):
    require(may_see_patrol(user, patrol), _("This patrol is not yours to see."))


def narrow_patrols(queryset, user):
    """The patrols of ``queryset`` that ``user`` sees: ``may_see_patrol`` as a filter."""
    if may_keep_cases(user):
        return queryset
    access = access_for(user)
    if access.user_id is None:
        return queryset.none()
    return queryset.filter(member_id=access.user_id)


@rule
def _member_of(user, patrol):
    return _own(user, patrol) and may_patrol(user)


def may_record_finding(user, patrol):
    """Only the member of an open patrol records what it finds."""
    return patrol.ended_at is None and _member_of(user, patrol)


def require_record_finding(user, patrol):
    """Refuse anyone but the patrol's member; the caller refuses a patrol that has ended."""
    require(
        _member_of(user, patrol),
        _("Only the member on patrol {number} records its findings.").format(number=patrol.number),
    )


@rule
def may_end_patrol(user, patrol):
    """The member ends their patrol; the office ends one left open."""
    return _own(user, patrol) or may_keep_cases(user)


def require_end_patrol(user, patrol):
    require(
        may_end_patrol(user, patrol),
        _("Only the member on patrol {number} may end it.").format(number=patrol.number),
    )


USER_RULES["patrol"] = may_patrol
