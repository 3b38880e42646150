"""Who may see, report, verify and accept the third battle's weekly work (周落实).

The weekly work is urban renewal projects, the city-management campaigns, and the
demonstration zones and model roads. Each has a lead unit.

- The office and leaders see all of it; the city-work task force sees all of it (its
  battle); a reporter sees their own units' (a member of another battle's task force
  sees only the units they report for).
- The office and the city-work task force keep it: the renewal kinds, projects and their
  workbook, the campaigns and their weekly plans, the places and their checklists.
- The lead unit's reporters file the weekly reports and apply for a place's acceptance;
  the system files no report (a report is the unit's word).
- The city-work task force verifies or returns reports, inspects places and accepts
  them; a unit never verifies or accepts its own work, even through a member who also
  reports for it.

The rules read ``lead_unit_id`` (and ``lead_unit`` for words) of the object they are
given and import no model of city work.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from vanguard.core.actors import SYSTEM
from vanguard.org.access import (
    USER_RULES,
    access_for,
    manages_battle,
    reports_for,
    require,
    rule,
)
from vanguard.org.choices import Battle, Role

__all__ = [
    "may_inspect_places",
    "may_manage_weekly_work",
    "may_report_weekly",
    "may_verify_weekly",
    "narrow_weekly",
    "require_inspect_places",
    "require_manage_weekly_work",
    "require_report_weekly",
    "require_verify_weekly",
]

_SEE_ALL = {Role.OFFICE, Role.LEADER}


def narrow_weekly(queryset, user, *, unit="lead_unit"):
    """Narrow an ``org.access.restrict``-ed queryset of weekly work (or rows hanging on it,
    ``unit`` being the path to the lead unit) to what a task-force member may see.

    ``restrict`` lets every task-force member see every unit; the weekly work is the
    city-work battle's business, so a member of another task force sees only the units
    they report for.
    """
    access = access_for(user)
    if access.system or access.roles & _SEE_ALL or Battle.CITYWORK in access.battles:
        return queryset
    if access.has(Role.TASK_FORCE_MEMBER):
        return queryset.filter(Q(**{unit + "_id__in": access.unit_ids}))
    return queryset


@rule
def may_manage_weekly_work(user):
    """The office and the city-work task force keep projects, campaigns and places."""
    return manages_battle(user, Battle.CITYWORK)


def require_manage_weekly_work(user):
    require(
        may_manage_weekly_work(user),
        _("Only the headquarters office or the city-work task force may do this."),
    )


def may_report_weekly(user, subject):
    """The reporters of the subject's lead unit file its weekly reports (never the system)."""
    return user is not SYSTEM and reports_for(user, subject.lead_unit_id)


def require_report_weekly(user, subject):
    require(
        may_report_weekly(user, subject),
        _("Only a reporter of the lead unit ({unit}) may report on {code}.").format(
            unit=subject.lead_unit.name, code=subject.code
        ),
    )


@rule
def may_verify_weekly(user, subject):
    """The city-work task force verifies reports and accepts places; never the lead unit."""
    access = access_for(user)
    return Battle.CITYWORK in access.battles and not reports_for(user, subject.lead_unit_id)


def require_verify_weekly(user, subject):
    """Refuse, saying why: the unit's own work, or not the city-work task force."""
    if user is not SYSTEM and user is not None and reports_for(user, subject.lead_unit_id):
        require(
            False,
            _(
                "A unit never verifies its own work: you report for {unit}, which leads"
                " {code}; the city-work task force verifies it."
            ).format(unit=subject.lead_unit.name, code=subject.code),
        )
    require(
        may_verify_weekly(user, subject),
        _("Only the city-work task force may verify, return or accept this."),
    )


@rule
def may_inspect_places(user, place=None):
    """The office and the city-work task force inspect places, never the lead unit's own."""
    if place is not None and reports_for(user, place.lead_unit_id):
        return False
    return manages_battle(user, Battle.CITYWORK)


def require_inspect_places(user, place=None):
    require(
        may_inspect_places(user, place),
        _(
            "Only the headquarters office or the city-work task force may inspect a place,"
            " and never the lead unit itself."
        ),
    )


@rule
def _verifies_weekly(user):
    return Battle.CITYWORK in access_for(user).battles


# Rules that take only the user, by the name templates use.
USER_RULES["manage_weekly_work"] = may_manage_weekly_work
USER_RULES["verify_weekly"] = _verifies_weekly
USER_RULES["inspect_places"] = may_inspect_places
