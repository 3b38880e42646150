"""Enumerations of the major projects app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vanguard.core.money import YI


class Stage(models.TextChoices):
    """Pipeline stages, in order: a project only moves forward without a reason."""

    NEGOTIATING = "negotiating", _("Negotiating")
    INTRODUCED = "introduced", _("Introduced (signed)")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed (commissioned)")


STAGE_ORDER = {stage: i for i, stage in enumerate(Stage.values)}


class SizeClass(models.TextChoices):
    """Investment size classes that the targets count by."""

    BELOW_1E8 = "below_1e8", _("Below 100 million yuan")
    SIZE_1E8 = "size_1e8", _("100 million yuan or more")
    SIZE_5E9 = "size_5e9", _("5 billion yuan or more")


def size_class_for(investment_yuan):
    """The size class of a total investment in yuan."""
    if investment_yuan >= 50 * YI:
        return SizeClass.SIZE_5E9
    if investment_yuan >= YI:
        return SizeClass.SIZE_1E8
    return SizeClass.BELOW_1E8


class ProjectKind(models.TextChoices):
    INDUSTRIAL = "industrial", _("Industrial")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    SERVICES = "services", _("Services")
    URBAN_RENEWAL = "urban_renewal", _("Urban renewal")
    OTHER = "other", _("Other")


class MilestoneState(models.TextChoices):
    PENDING = "pending", _("Not done")
    DONE = "done", _("Done")
    NOT_NEEDED = "not_needed", _("Not needed")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    CERTIFIED = "certified", _("Certified")
    SUPERSEDED = "superseded", _("Superseded")
