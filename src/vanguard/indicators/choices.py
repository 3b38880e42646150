"""Enumerations of the indicators app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vanguard.core.figures import FigureSource


class IndicatorKind(models.TextChoices):
    """What the statistics publish for an indicator each month."""

    # A cumulative year-to-date amount (1–N月累计, in 亿元 ...) and its growth.
    LEVEL = "level", _("Cumulative level and growth")
    # Only a growth rate, e.g. industrial value added above designated size (规上工业增加值).
    GROWTH = "growth", _("Growth rate only")


class GoodDirection(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class Frequency(models.TextChoices):
    """How often the statistics publish an indicator (GDP is published by quarter in China)."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class AreaLevel(models.TextChoices):
    """The campaign's own area and the areas it compares itself with.

    The comparator values match ``targets.choices.Comparator``, so a relative target's
    comparators name areas directly.
    """

    DISTRICT = "district", _("District")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")


# Through which door a figure came: the one list of every versioned figure (0020).
ObservationSource = FigureSource
