"""What an account's password owes, and its API tokens.

Failed logins are counted by django-axes (see vanguard.accounts.throttle).
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordState(models.Model):
    """Whether an account's password was set by someone else and must be changed first."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="password_state",
        verbose_name=_("account"),
    )
    must_change = models.BooleanField(_("must change at next login"), default=False)
    changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("password state")
        verbose_name_plural = _("password states")

    def __str__(self):
        return str(self.user)


def hash_token(raw):
    """Tokens are stored only as their SHA-256, so a leaked table reveals none."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API, shown once at creation; it expires, and revoking is final."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        # Created in the core app; the table kept its name when the model moved here.
        db_table = "core_apitoken"
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    def save(self, *args, **kwargs):
        if self.pk and not self.revoked:
            was_revoked = ApiToken.objects.filter(pk=self.pk, revoked=True).exists()
            if was_revoked:
                raise ValidationError(_("A revoked token stays revoked: create a new one."))
        super().save(*args, **kwargs)

    @property
    def expired(self):
        return self.expires_at <= timezone.now()

    @staticmethod
    def new_raw():
        return "vg_" + secrets.token_urlsafe(32)
