"""Kiosk links of the display board (电子展板): one per hall screen, signed and revocable."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_nonce():
    return secrets.token_urlsafe(16)


class ScreenLink(models.Model):
    """A read-only link for one screen account: it opens the board and nothing else.

    The link carries the screen's id and nonce, signed with the site's key; revoking the
    link (or making a new one for the screen) changes the nonce, so every old URL stops.
    """

    name = models.SlugField(_("screen"), max_length=64, unique=True)
    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    nonce = models.CharField(max_length=32, default=new_nonce)
    rotate_seconds = models.PositiveIntegerField(_("seconds a page shows"), default=20)
    refresh_seconds = models.PositiveIntegerField(_("seconds between data refreshes"), default=60)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        verbose_name = _("screen link")
        verbose_name_plural = _("screen links")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def usable(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
