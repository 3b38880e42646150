"""Who may see and organise volunteer activities (志愿服务).

- Residents sign up on the public page without an account; nothing else is public, and
  no public page shows a resident's phone.
- The organising unit's reporters plan their unit's activities, change or cancel them,
  record them as held (participants, photos, the problems found) and read who signed up.
- The office and the city-work task force do all of that for every unit.
- Whoever takes part sees the activities of the units they see (``restrict``, then
  ``narrow_weekly``: a member of another battle's task force sees only their own units'),
  and the weekly count of the units they see; the names and phones of those who signed
  up stay with the organiser, the office and the task force.

The rules read ``unit_id`` of the activity given and import no model of city work.
"""

from django.utils.translation import gettext as _

from vanguard.org.access import (
    USER_RULES,
    access_for,
    manages_battle,
    reports_for,
    require,
    rule,
)
from vanguard.org.choices import Battle

__all__ = [
    "may_change_activity",
    "may_keep_volunteers",
    "may_organise_activities",
    "may_see_activities",
    "require_change_activity",
    "require_organise_activities",
]


@rule
def may_see_activities(user):
    """Whoever takes part opens the activities' pages, narrowed to the units they see."""
    return access_for(user).takes_part


@rule
def may_keep_volunteers(user):
    """The office and the city-work task force organise for every unit."""
    return manages_battle(user, Battle.CITYWORK)


@rule
def may_organise_activities(user, unit_id=None):
    """The keepers, and a unit's reporters for their unit (any of theirs when not named)."""
    if may_keep_volunteers(user):
        return True
    if unit_id is None:
        return bool(access_for(user).unit_ids)
    return reports_for(user, unit_id)


def require_organise_activities(user, unit=None):
    require(
        may_organise_activities(user, getattr(unit, "pk", None)),
        _(
            "Only a reporter of {unit}, the headquarters office or the city-work task force may"
            " organise its volunteer activities."
        ).format(unit=unit.name)
        if unit is not None
        else _("Only a unit's reporters, the office or the city-work task force may do this."),
    )


@rule
def may_change_activity(user, activity):
    """The organising unit's reporters and the keepers change, hold, cancel and read signups."""
    return may_keep_volunteers(user) or reports_for(user, activity.unit_id)


def require_change_activity(user, activity):
    require(
        may_change_activity(user, activity),
        _(
            "Only a reporter of the organising unit, the headquarters office or the city-work"
            " task force may do this to “{title}”."
        ).format(title=activity.title),
    )


USER_RULES["see_activities"] = may_see_activities
USER_RULES["organise_activities"] = may_organise_activities
