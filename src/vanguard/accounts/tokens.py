"""API tokens: creation (shown once), expiry, and the check of a presented token.

``BearerToken`` is how the API authenticates a token; refused tokens count as failed logins.
"""

import datetime

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from vanguard.accounts.backends import user_fields, user_from_row
from vanguard.accounts.models import ApiToken, hash_token
from vanguard.accounts.throttle import lockout_message
from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import record_change
from vanguard.core.actors import SYSTEM
from vanguard.core.compiled import Compiled

TOKEN_UNKNOWN = "unknown"
TOKEN_EXPIRED = "expired"

# A token's last use is written at most this often: thousands of reporters hit the API
# in one hour.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def do_create_token(username, *, actor=SYSTEM, name="API", days=None):
    """Create an API token for ``username`` valid ``days`` days; return it raw (shown once).

    Only the command line creates tokens (no door does), so the actor is the system
    unless a user is named; ``None`` is refused as by every action.
    """
    if actor is None:
        raise PermissionDenied
    user = get_user_model().objects.get(username=username)
    days = settings.API_TOKEN_DAYS if days is None else days
    raw = ApiToken.new_raw()
    expires_at = timezone.now() + datetime.timedelta(days=days)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=raw[3:11], key_hash=hash_token(raw), expires_at=expires_at
        )
        record_change(
            token,
            ChangeAction.CREATE,
            actor=actor,
            after={
                "user": user.pk,
                "name": name,
                "prefix": token.prefix,
                "expires_at": expires_at.isoformat(),
            },
        )
    return raw


def check_token(raw):
    """Return ``(user, None)`` for a good token, else ``(None, TOKEN_UNKNOWN or TOKEN_EXPIRED)``.

    A revoked token, or one of a deactivated account, is as unknown as a made-up one.
    """
    if not raw:
        return None, TOKEN_UNKNOWN
    rows = _TOKEN.rows(hash_token(raw))
    if not rows:
        return None, TOKEN_UNKNOWN
    token_id, expires_at, last_used_at, *user_row = rows[0]
    user = user_from_row(user_row)
    if not user.is_active:
        return None, TOKEN_UNKNOWN
    now = timezone.now()
    if expires_at <= now:
        return None, TOKEN_EXPIRED
    if last_used_at is None or now - last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user, None


def _token_row(key_hash):
    """A token that is not revoked, by its hash: its id, expiry and last use, then its
    user's fields (``backends.user_fields``)."""
    return ApiToken.objects.filter(key_hash=key_hash, revoked=False).values_list(
        "pk", "expires_at", "last_used_at", *("user__" + name for name in user_fields())
    )[:1]


# Every API request checks its token: the SQL is written once (a stand-in hash).
_TOKEN = Compiled(_token_row, "vanguard-stand-in-hash")


def user_for_token(raw):
    """Return the active user a raw, unexpired token belongs to, or None."""
    return check_token(raw)[0]


class BearerToken(HttpBearer):
    """``Authorization: Bearer TOKEN``; a refused token counts as a failed login.

    A good token always passes (it is a 256-bit secret, not a guessable password); refused
    ones are counted by the login throttle per token and address, so an address that keeps
    presenting bad tokens gets 429 until its lockout ends.
    """

    def authenticate(self, request, token):
        user, problem = check_token(token)
        if user is not None:
            request.user = user
            return user
        credentials = {"username": "token:" + token[3:11]}
        if not AxesProxyHandler.is_allowed(request, credentials):
            raise HttpError(429, lockout_message(request))
        user_login_failed.send(sender=BearerToken, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            request.axes_locked_out = False  # answered here, not by the login page
            raise HttpError(429, lockout_message(request))
        if problem == TOKEN_EXPIRED:
            raise HttpError(
                401, _("This API token has expired: ask for a new one (vanguard token create).")
            )
        return None
