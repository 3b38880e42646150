"""Session rules: a one-time password is changed first; sessions end when idle or old."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

SESSION_KEY = "vg_must_change_password"
LOGIN_AT_KEY = "vg_login_at"
SEEN_AT_KEY = "vg_seen_at"
# The last-seen time is written at most this often, not on every request.
_SEEN_RESOLUTION_SECONDS = 60
CHANGE_PATH = "/account/password/"
_OPEN_PREFIXES = (CHANGE_PATH, "/logout/", "/static/", "/i18n/", "/health/", "/favicon.ico")


def remember_password_state(sender, request, user, **kwargs):
    """At login, note in the session when it began and whether the password must change."""
    from vanguard.accounts.models import PasswordState

    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[LOGIN_AT_KEY] = now
    request.session[SEEN_AT_KEY] = now

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


class SessionLimitsMiddleware:
    """Logs out after SESSION_IDLE_MINUTES without a request, or SESSION_MAX_HOURS after login.

    The request then goes on as anonymous: pages lead to the login page, the API answers 401.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            self._apply_limits(request)
        return self.get_response(request)

    def _apply_limits(self, request):
        session = request.session
        now = int(time.time())
        login_at = session.get(LOGIN_AT_KEY)
        seen_at = session.get(SEEN_AT_KEY)
        if login_at is None or seen_at is None:
            # A session from before these limits: they start counting now.
            session[LOGIN_AT_KEY] = login_at or now
            session[SEEN_AT_KEY] = now
            return
        too_old = now - login_at >= settings.SESSION_MAX_HOURS * 3600
        too_idle = now - seen_at >= settings.SESSION_IDLE_MINUTES * 60
        if too_old or too_idle:
            logout(request)
        elif now - seen_at >= _SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT_KEY] = now
