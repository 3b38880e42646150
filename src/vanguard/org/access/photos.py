"""Who may read the original of a photo of city work.

Every photo of city work has a public copy and a thumbnail: re-encoded, without EXIF or
GPS, served to whoever has their address (the copy's SHA-256, which no one guesses).
The original, as the phone took it, keeps the time, the position and the phone: it may
place a citizen at their door. It is kept as evidence and read only by those who
inspect places and handle the cases: the headquarters office and the city-work task
force. Leaders, other task forces, units, the discipline inspector and the
administrators see the public copy, as everyone does.
"""

from django.utils.translation import gettext as _

from vanguard.org.access import USER_RULES, manages_battle, require, rule
from vanguard.org.choices import Battle

__all__ = ["may_read_photo_originals", "require_read_photo_originals"]


@rule
def may_read_photo_originals(user):
    """The office and the city-work task force read photos' originals."""
    return manages_battle(user, Battle.CITYWORK)


def require_read_photo_originals(user):
    require(
        may_read_photo_originals(user),
        _(
            "Only the headquarters office or the city-work task force may open the original"
            " of a photo."
        ),
    )


USER_RULES["read_photo_originals"] = may_read_photo_originals
