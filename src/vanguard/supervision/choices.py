"""Enumerations of the supervision app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Light(models.TextChoices):
    """A status light (亮灯). Grey means there is nothing to judge against yet."""

    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")
    GREY = "grey", _("No data")


# Worse lights rank higher; a roll-up shows the worst that its rule lets through.
LIGHT_RANK = {Light.GREY: 0, Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}
