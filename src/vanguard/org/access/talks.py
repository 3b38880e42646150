"""Who may propose, approve, hold and follow up talks (约谈), refer a case to the
discipline commission (问责移交) and record the commission's decision.

- A talk is proposed by the office or a task-force member (or by the ladder, as the
  system); a leader approves it; the office notifies, records and follows it up.
- Talks are seen by those who see every unit and by the reporters of the talk's unit.
- The office refers a case; the discipline inspector reads the cases referred to the
  commission (and only those: not the units' daily data) and records the decision.
  The office and leaders see the referrals too; unit reporters and task forces do not.
"""

from django.utils.translation import gettext as _

from vanguard.org.access import access_for, require, restrict, rule
from vanguard.org.choices import Role

__all__ = [
    "may_approve_talk",
    "may_conduct_talk",
    "may_decide_referral",
    "may_propose_talk",
    "may_refer_case",
    "may_see_referrals",
    "may_see_talks",
    "referrals_for",
    "require_approve_talk",
    "require_conduct_talk",
    "require_decide_referral",
    "require_propose_talk",
    "require_refer_case",
    "talks_for",
]


@rule
def may_propose_talk(user):
    """The office or a task-force member proposes a talk."""
    return bool(access_for(user).roles & {Role.OFFICE, Role.TASK_FORCE_MEMBER})


def require_propose_talk(user):
    require(
        may_propose_talk(user),
        _("Only the headquarters office or a task force may propose a talk."),
    )


@rule
def may_approve_talk(user):
    """A leader approves (or declines) a proposed talk."""
    return access_for(user).has(Role.LEADER)


def require_approve_talk(user):
    require(may_approve_talk(user), _("Only a leader may approve a talk."))


@rule
def may_conduct_talk(user):
    """The office notifies, records and follows up talks."""
    return access_for(user).has(Role.OFFICE)


def require_conduct_talk(user):
    require(
        may_conduct_talk(user),
        _("Only the headquarters office may notify, record or follow up a talk."),
    )


@rule
def may_refer_case(user):
    """The office refers a case to the discipline commission."""
    return access_for(user).has(Role.OFFICE)


def require_refer_case(user):
    require(
        may_refer_case(user),
        _("Only the headquarters office may refer a case to the discipline commission."),
    )


@rule
def may_decide_referral(user):
    """The discipline inspector records the commission's decision."""
    return access_for(user).has(Role.DISCIPLINE_INSPECTOR)


def require_decide_referral(user):
    require(
        may_decide_referral(user),
        _("Only the discipline commission may record a decision on a referral."),
    )


@rule
def may_see_talks(user):
    """The talks pages open to those who see every unit and to unit reporters."""
    access = access_for(user)
    return access.sees_all_units or bool(access.unit_ids)


@rule
def may_see_referrals(user):
    """The referred cases: the office, leaders and the discipline inspector."""
    return bool(access_for(user).roles & {Role.OFFICE, Role.LEADER, Role.DISCIPLINE_INSPECTOR})


def talks_for(queryset, user):
    """The talks ``user`` may see: all for who sees every unit, their units' for a reporter.

    The inspector reads a talk through the case file of a referral, not here.
    """
    if not may_see_talks(user):
        return queryset.none()
    return restrict(queryset, user)


def referrals_for(queryset, user):
    """The referrals ``user`` may see (``may_see_referrals``), all or none."""
    return queryset if may_see_referrals(user) else queryset.none()


# The rules templates ask by name ({% if user|may:"approve_talk" %}).
USER_RULES = {
    "propose_talk": may_propose_talk,
    "approve_talk": may_approve_talk,
    "conduct_talk": may_conduct_talk,
    "refer_case": may_refer_case,
    "decide_referral": may_decide_referral,
    "see_talks": may_see_talks,
    "see_referrals": may_see_referrals,
}
