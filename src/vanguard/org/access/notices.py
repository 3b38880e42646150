"""Who reads which notices, and who keeps the group robots and the deliveries.

Everyone who takes part reads their own inbox and no one else's. The office configures
the group robots of units and task forces, and watches (and retries) the deliveries.
"""

from vanguard.org.access import USER_RULES, access_for, require, rule
from vanguard.org.choices import Role

__all__ = ["may_keep_notices", "may_read_notices", "require_keep_notices"]


@rule
def may_read_notices(user):
    """Every participant has an inbox."""
    return access_for(user).takes_part


@rule
def may_keep_notices(user):
    """The group robots and the deliveries are the headquarters office's."""
    return access_for(user).has(Role.OFFICE)


def require_keep_notices(user):
    from django.utils.translation import gettext as _

    require(
        may_keep_notices(user),
        _("Only the headquarters office may configure group robots and deliveries."),
    )


USER_RULES["read_notices"] = may_read_notices
USER_RULES["keep_notices"] = may_keep_notices
