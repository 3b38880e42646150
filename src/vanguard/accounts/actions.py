"""Writes to accounts: a password reset by the system administrator, a change by its owner."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from vanguard.accounts.models import ApiToken, PasswordState
from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import record_change, snapshot
from vanguard.org import access

# Letters and digits that cannot be mistaken for each other when read out or copied.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

RESET_REASON = gettext_noop("Password reset to a one-time password; API tokens revoked")
CHANGE_REASON = gettext_noop("Password changed by its owner")


def one_time_password():
    """Sixteen characters in four groups: easy to pass on, impossible to guess."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def do_reset_password(user, *, actor):
    """Give ``user`` a one-time password (returned once), revoke their tokens, log it.

    The owner must change it at their next login, so whoever reset it cannot go on using
    the account unseen; sessions signed with the old password end at once.
    """
    access.require_password_reset(actor, user)
    temporary = one_time_password()
    _set_password(user, temporary, must_change=True, actor=actor, reason=RESET_REASON)
    return temporary


def do_change_own_password(user, new_password):
    """The owner's own change (checked by the form against the old one): logged, and final.

    Their API tokens are revoked too: a token may have leaked with the old password.
    """
    return _set_password(user, new_password, must_change=False, actor=user, reason=CHANGE_REASON)


def _set_password(user, password, *, must_change, actor, reason):
    """Set the password, note whether it must be changed, revoke every token, log it."""
    with transaction.atomic():
        before = snapshot(user)
        user.set_password(password)
        user.save(update_fields=["password"])
        PasswordState.objects.update_or_create(
            user=user, defaults={"must_change": must_change, "changed_at": timezone.now()}
        )
        ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
        record_change(
            user, ChangeAction.UPDATE, actor=actor, before=before, after=snapshot(user),
            reason=reason,
        )  # fmt: skip
    return user


def mark_must_change(user):
    """A password chosen by an administrator (a new account's) is changed at first login."""
    PasswordState.objects.update_or_create(user=user, defaults={"must_change": True})
