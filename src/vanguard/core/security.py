"""Login lockout and API tokens."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import record_change
from vanguard.core.models import ApiToken, LoginFailure, hash_token


def _window_start():
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked(username):
    """True when ``username`` failed too often within the lockout window."""
    recent = LoginFailure.objects.filter(username__iexact=username, at__gte=_window_start())
    return recent.count() >= settings.LOGIN_FAILURE_LIMIT


def note_failure(username, ip=None):
    """Record one failed login."""
    LoginFailure.objects.create(username=username[:150], ip=ip)


def clear_failures(username):
    """Forget failures after a successful login."""
    LoginFailure.objects.filter(username__iexact=username).delete()


def do_create_token(username, *, actor=None, name=""):
    """Create an API token for ``username``; return the raw token (shown once)."""
    user = get_user_model().objects.get(username=username)
    raw = ApiToken.new_raw()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=raw[3:11], key_hash=hash_token(raw)
        )
        record_change(
            token,
            ChangeAction.CREATE,
            actor=actor,
            after={"user": user.pk, "name": name, "prefix": token.prefix},
        )
    return raw


def user_for_token(raw):
    """Return the active user a raw token belongs to, or None."""
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked=False)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Write at most once a minute: thousands of reporters hit the API in one hour.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
