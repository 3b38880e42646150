"""Enumerations of the blockers app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BlockerState(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class StepKind(models.TextChoices):
    """What one step in following a blocker did."""

    DISPATCHED = "dispatched", _("Dispatched")
    FOLLOWED_UP = "followed_up", _("Followed up")
