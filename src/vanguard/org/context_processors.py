"""Template context shared by every page."""

from vanguard.org.access import access_for
from vanguard.org.choices import Battle


def navigation(request):
    """The battles for the navigation bar and what the signed-in user holds."""
    user = getattr(request, "user", None)
    return {
        "nav_battles": Battle.choices,
        "user_access": access_for(user),
    }
