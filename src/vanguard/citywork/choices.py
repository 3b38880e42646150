"""Enumerations of the third battle's weekly work: renewal projects, city campaigns, places."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportState(models.TextChoices):
    """Where a weekly report stands: only a verified report counts."""

    SUBMITTED = "submitted", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")


class RenewalStage(models.TextChoices):
    """How far a renewal project has come, by verified dates only."""

    PLANNED = "planned", _("Not started")
    STARTED = "started", _("Under construction")
    COMPLETED = "completed", _("Completed")


class PlaceKind(models.TextChoices):
    """The two kinds of place the city work builds and accepts."""

    ZONE = "zone", _("Demonstration zone")
    ROAD = "road", _("Model road")


class PlaceState(models.TextChoices):
    """A place's way to acceptance (验收): built, applied for, accepted."""

    CREATING = "creating", _("Being built")
    APPLIED = "applied", _("Acceptance applied for")
    ACCEPTED = "accepted", _("Accepted")


class PhotoSource(models.TextChoices):
    """The way a photo came into the photo store."""

    PAGE = "page", _("Citizen page")
    PATROL = "patrol", _("Patrol")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    INSPECTION = "inspection", _("Inspection")
    VOLUNTEER = "volunteer", _("Volunteer")
    HOTLINE = "hotline", _("Hotline")
    CASE_PAGE = "case", _("Case page")


class PhotoRole(models.TextChoices):
    """What a photo shows of the subject it is attached to."""

    REPORT = "report", _("As reported")
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")
    INSPECTION = "inspection", _("Inspection")
    ACTIVITY = "activity", _("Activity")


class ActivityKind(models.TextChoices):
    """The kinds of volunteer activity the plan names, and the rest."""

    COMMUNITY = "community", _("City management in the community (城管进社区)")
    CLEANUP = "cleanup", _("Everyone hands on, clean homes (人人动手·洁净家园)")
    OTHER = "other", _("Other volunteer service")


class ActivityState(models.TextChoices):
    """Where a volunteer activity stands: planned, held (recorded after), or called off."""

    PLANNED = "planned", pgettext_lazy("activity", "Planned")
    HELD = "held", pgettext_lazy("activity", "Held")
    CANCELLED = "cancelled", _("Cancelled")
