"""Enumerations of the enterprises app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureKind(models.TextChoices):
    """What a key enterprise reports each month: industry its output value, others revenue."""

    OUTPUT = "output", _("Output value")
    REVENUE = "revenue", _("Revenue")
