"""Who may see, report and verify the units' lists (一单位一清单).

- The office and leaders see every item; a task-force member sees the items of the
  battles their task force serves (and of the units they report for); a unit reporter
  sees their own units' items. ``restrict`` narrows items, their checkpoints, reports
  and lights alike, and the supervision orders, proposals, exemptions and talks about an
  item: the lists app registers them with ``register_battle_scope``.
- A unit's reporters report their items' progress; the system files no report either
  (a report is the unit's word, as a dekad report is).
- The task force of an item's battle verifies (核验) or returns its reports; a unit never
  verifies its own progress, even through a member who also reports for it.
- The office loads and exports the lists. An item's facts and checkpoints are edited by
  the office and by the task force of the item's battle; never by the unit that owes it.

The rules read the attributes of the item they are given (``unit_id``, ``battle``) and
import no model of the lists.
"""

from django.utils.translation import gettext as _

from vanguard.core.actors import SYSTEM
from vanguard.org.access import (
    access_for,
    manages_battle,
    reports_for,
    require,
    rule,
    serves_battle,
)
from vanguard.org.choices import Role

__all__ = [
    "may_edit_item",
    "may_manage_lists",
    "may_report_progress",
    "may_report_some_progress",
    "may_verify_progress",
    "may_verify_some_progress",
    "require_edit_item",
    "require_manage_lists",
    "require_report_progress",
    "require_verify_progress",
]


@rule
def may_manage_lists(user):
    """The office loads the units' lists from their workbooks and exports them."""
    return access_for(user).has(Role.OFFICE)


def require_manage_lists(user):
    require(may_manage_lists(user), _("Only the headquarters office may load or export the lists."))


@rule
def may_edit_item(user, item):
    """An item's requirement, person, deadline, cadence and checkpoints: the office, and the
    task force of its battle unless the member reports for the unit that owes it."""
    if access_for(user).has(Role.OFFICE):
        return True
    return manages_battle(user, item.battle) and not reports_for(user, item.unit_id)


def require_edit_item(user, item):
    require(
        may_edit_item(user, item),
        _(
            "Only the headquarters office or the task force of the item's battle ({battle})"
            " may edit item {code}."
        ).format(battle=item.get_battle_display(), code=item.code),
    )


def may_report_progress(user, item):
    """The reporters of the unit that owes the item report its progress (never the system)."""
    return user is not SYSTEM and reports_for(user, item.unit_id)


def require_report_progress(user, item):
    require(
        may_report_progress(user, item),
        _("Only a reporter of {unit} may report progress on item {code}.").format(
            unit=item.unit.name, code=item.code
        ),
    )


@rule
def may_verify_progress(user, item):
    """The task force of the item's battle verifies its reports; never the unit that owes it."""
    return serves_battle(user, item.battle) and not reports_for(user, item.unit_id)


def require_verify_progress(user, item):
    """Refuse, saying why: a unit's own progress, or another battle's item."""
    if user is not SYSTEM and user is not None and reports_for(user, item.unit_id):
        require(
            False,
            _(
                "A unit never verifies its own progress: you report for {unit}, which owes"
                " item {code}; its task force verifies it."
            ).format(unit=item.unit.name, code=item.code),
        )
    require(
        may_verify_progress(user, item),
        _("Only the task force of the item's battle ({battle}) may verify its progress.").format(
            battle=item.get_battle_display()
        ),
    )


@rule
def may_verify_some_progress(user):
    """Whoever serves a task force may verify reports (each report is checked by
    ``may_verify_progress``)."""
    return bool(access_for(user).battles)


@rule
def may_report_some_progress(user):
    """Whoever reports for a unit may report progress on its items."""
    return bool(access_for(user).unit_ids)


# Rules that take only the user, by the name templates use (org.access.USER_RULES).
LIST_USER_RULES = {
    "manage_lists": may_manage_lists,
    "verify_list_progress": may_verify_some_progress,
    "report_list_progress": may_report_some_progress,
}
