"""Who may see and act on supervision orders, the ladder's proposals and exemptions.

- The headquarters office issues orders, decides the ladder's proposals, keeps the
  ladder's rules and grants exemptions; it verifies and closes (销号) answers or sends
  them back.
- A battle's task force verifies and closes, or sends back, the answers of its battle's
  orders.
- A unit's reporters see their own unit's orders only, and sign for and answer them.
- Leaders see everything; the discipline inspector sees no orders (a referred case
  brings its own).
"""

from django.utils.translation import gettext as _

from vanguard.org.access import (
    access_for,
    holds_role,
    reports_for,
    require,
    rule,
    serves_battle,
)
from vanguard.org.choices import Role

__all__ = [
    "may_answer_order",
    "may_decide_proposals",
    "may_issue_orders",
    "may_keep_ladder",
    "may_see_orders",
    "may_see_workspace",
    "may_verify_order",
    "require_answer_order",
    "require_decide_proposals",
    "require_issue_orders",
    "require_keep_ladder",
    "require_see_workspace",
    "require_verify_order",
]


@rule
def may_issue_orders(user):
    """Orders are issued by the headquarters office."""
    return access_for(user).has(Role.OFFICE)


def require_issue_orders(user):
    require(may_issue_orders(user), _("Only the headquarters office may issue supervision orders."))


@rule
def may_answer_order(user, order):
    """An order is signed for and answered by the reporters of the unit it is sent to."""
    return reports_for(user, order.unit_id)


def require_answer_order(user, order):
    require(
        may_answer_order(user, order),
        _("Only a reporter of {unit} may sign for or answer this order.").format(unit=order.unit),
    )


@rule
def may_verify_order(user, order):
    """An answer is verified (closed or sent back) by the office or the order's battle's task force."""
    return access_for(user).has(Role.OFFICE) or bool(
        order.battle and serves_battle(user, order.battle)
    )


def require_verify_order(user, order):
    require(
        may_verify_order(user, order),
        _("Only the headquarters office or the task force of its battle may verify this order."),
    )


@rule
def may_decide_proposals(user):
    """The ladder only proposes: the headquarters office confirms or dismisses."""
    return access_for(user).has(Role.OFFICE)


def require_decide_proposals(user):
    require(
        may_decide_proposals(user),
        _("Only the headquarters office may confirm or dismiss proposals."),
    )


@rule
def may_keep_ladder(user):
    """The ladder's rules and its exemptions are the office's."""
    return access_for(user).has(Role.OFFICE)


def require_keep_ladder(user):
    require(
        may_keep_ladder(user),
        _("Only the headquarters office may change the ladder's rules or grant exemptions."),
    )


@rule
def may_see_workspace(user):
    """The supervision workspace (proposals, exemptions, the ladder) is read by those who run
    it: the office, the task forces and the leaders."""
    return holds_role(user, Role.OFFICE, Role.LEADER, Role.TASK_FORCE_MEMBER)


def require_see_workspace(user):
    require(may_see_workspace(user))


@rule
def may_see_orders(user):
    """The order list opens to the office, leaders, task forces and unit reporters (each
    reporter's rows narrowed to their units); not to the inspector."""
    access = access_for(user)
    return may_see_workspace(user) or bool(access.unit_ids)


ORDER_USER_RULES = {
    "issue_orders": may_issue_orders,
    "decide_proposals": may_decide_proposals,
    "keep_ladder": may_keep_ladder,
    "see_supervision": may_see_workspace,
    "see_orders": may_see_orders,
}
