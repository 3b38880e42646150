"""Who may open the map (一张网一张图) and its layers.

Every participant opens the map and sees the district's boundaries; what each layer
shows is its rows through ``restrict``: a unit reporter sees the places of their own
units (their projects, their grids), the office, leaders and task forces every unit's,
and the discipline inspector, who reads no unit's daily data, only the boundaries. A
layer may narrow who opens it at all (``Layer.see``). Administrators take no part.
"""

from vanguard.org.access import USER_RULES, access_for, rule

__all__ = ["may_see_map"]


@rule
def may_see_map(user):
    """The map opens to everyone who takes part in the campaign."""
    return access_for(user).takes_part


USER_RULES["see_map"] = may_see_map
