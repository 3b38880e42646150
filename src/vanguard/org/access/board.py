"""Who may open the display board (电子展板) and give a hall screen its kiosk link.

The board shows the district's standings, so it opens to those who read every unit (the
office, leaders, task forces), as the cockpit's figures do. A hall screen opens it with
a kiosk link instead of an account; the office issues and revokes those links.
"""

from vanguard.org.access import USER_RULES, access_for, rule
from vanguard.org.choices import Role

__all__ = ["may_manage_screens", "may_see_board"]


@rule
def may_see_board(user):
    """The board opens to readers of every unit."""
    access = access_for(user)
    return access.takes_part and access.sees_all_units


@rule
def may_manage_screens(user):
    """The office issues and revokes the hall screens' kiosk links."""
    return access_for(user).has(Role.OFFICE)


USER_RULES["see_board"] = may_see_board
USER_RULES["manage_screens"] = may_manage_screens
