"""Enumerations of the units' lists (一单位一清单)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """How an item's progress is measured: a quantity against a target, or milestones."""

    QUANTITY = "quantity", _("Quantity")
    MILESTONE = "milestone", _("Milestone")


class ReportState(models.TextChoices):
    """Where a progress report stands: only a verified report counts."""

    SUBMITTED = "submitted", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")
