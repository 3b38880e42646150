"""Sends an account whose password must be changed to the change page, and nowhere else."""

from urllib.parse import urlencode

from django.shortcuts import redirect

SESSION_KEY = "vg_must_change_password"
CHANGE_PATH = "/account/password/"
_OPEN_PREFIXES = (CHANGE_PATH, "/logout/", "/static/", "/i18n/", "/health/", "/favicon.ico")


def remember_password_state(sender, request, user, **kwargs):
    """At login, note in the session whether the password must be changed first."""
    from vanguard.accounts.models import PasswordState

    must = PasswordState.objects.filter(user=user, must_change=True).exists()
    if must:
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)


class PasswordChangeRequiredMiddleware:
    """Until a one-time password is changed, every page leads to the change page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(SESSION_KEY)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect("{}?{}".format(CHANGE_PATH, urlencode({"next": request.path})))
        return self.get_response(request)
