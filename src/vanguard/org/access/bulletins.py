"""Who may see and change the monthly bulletin (月通报) and its scoring rule.

The office loads the scoring rule, drafts, edits and issues bulletins. Drafts are read by
those who see every unit (the office, leaders, task forces); an issued bulletin is
published to every participant, unit reporters included, who find their own line
marked. A bulletin is rows about every unit by design: a published ranking.
"""

from django.utils.translation import gettext as _

from vanguard.org.access import USER_RULES, access_for, require, rule
from vanguard.org.choices import Role

__all__ = [
    "may_manage_bulletins",
    "may_see_bulletins",
    "may_see_drafts",
    "require_manage_bulletins",
    "visible_bulletins",
]


@rule
def may_manage_bulletins(user):
    """The office loads scoring rules, drafts, edits, issues and corrects bulletins."""
    return access_for(user).has(Role.OFFICE)


def require_manage_bulletins(user):
    require(
        may_manage_bulletins(user),
        _("Only the headquarters office may draft, edit or issue the monthly bulletin."),
    )


@rule
def may_see_drafts(user):
    """Drafts and scoring rules are read by those who see every unit."""
    return access_for(user).sees_all_units


@rule
def may_see_bulletins(user):
    """Issued bulletins are published to everyone who takes part in the campaign."""
    return access_for(user).takes_part


def visible_bulletins(queryset, user):
    """The bulletins of ``queryset`` that ``user`` may read: drafts only to the office's side."""
    if not may_see_bulletins(user):
        return queryset.none()
    if may_see_drafts(user):
        return queryset
    return queryset.exclude(state="draft")


# The names templates use: {% if user|may:"manage_bulletins" %}.
USER_RULES["manage_bulletins"] = may_manage_bulletins
USER_RULES["see_bulletin_drafts"] = may_see_drafts
