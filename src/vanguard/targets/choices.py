"""Enumerations of the targets app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    COUNT = "count", _("Count")
    GROWTH = "growth", _("Percentage growth")
    RELATIVE = "relative", _("Relative: above comparators")


class Comparator(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
