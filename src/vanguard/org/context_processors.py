"""Template context shared by every page."""

from vanguard.org.access import access_for


def navigation(request):
    """What the signed-in user holds (the navigation's links: org.templatetags.navigation)."""
    user = getattr(request, "user", None)
    return {
        "user_access": access_for(user),
    }
