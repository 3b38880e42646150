"""Volunteer activities (志愿服务): 城管进社区, 人人动手·洁净家园 and others.

An organising unit plans an activity (when, where, how many volunteers it takes);
residents sign up on the public page, one place per phone; afterwards the unit records
it as held, with how many took part, its photos and the problems found, each of which
becomes a case (``VolunteerFinding``). The weekly count per unit reads these rows.

A resident's phone is kept for the organiser's call and shown to no one else.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanguard.citywork.choices import ActivityKind, ActivityState
from vanguard.citywork.models.located import Located
from vanguard.core.coords import CoordinateSystem


class VolunteerActivity(Located):
    """One volunteer activity of an organising unit: plan, signups, and what it did."""

    campaign = models.ForeignKey(
        "org.Campaign",
        on_delete=models.CASCADE,
        related_name="volunteer_activities",
        verbose_name=_("campaign"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of activity"), max_length=16, choices=ActivityKind)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    address = models.CharField(pgettext_lazy("activity", "place"), max_length=300)
    coordinate_system = models.CharField(
        _("entered as"), max_length=8, choices=CoordinateSystem, default=CoordinateSystem.WGS84
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="volunteer_activities",
        verbose_name=_("organising unit"),
    )
    capacity = models.PositiveIntegerField(_("places for volunteers"))
    description = models.TextField(_("description"), max_length=4000, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ActivityState, default=ActivityState.PLANNED
    )
    # Recorded once it was held.
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    summary = models.TextField(_("what was done"), max_length=4000, blank=True)
    held_recorded_at = models.DateTimeField(_("recorded as held at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The activity's photos, from the photo store; they go when the activity goes.
    photo_attachments = GenericRelation(
        "citywork.PhotoAttachment", related_query_name="volunteer_activity"
    )

    class Meta:
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0), name="volunteer_activity_capacity_positive"
            ),
            models.CheckConstraint(
                condition=~Q(state=ActivityState.HELD) | Q(participants__isnull=False),
                name="volunteer_activity_held_has_participants",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "state", "starts_at"], name="volunteer_state"),
            models.Index(fields=["unit", "starts_at"], name="volunteer_unit"),
            models.Index(
                fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="volunteer_bbox"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def code(self):
        """How lists and the change log name an activity."""
        return "ZY{:06d}".format(self.pk) if self.pk else ""

    @property
    def lead_unit_id(self):
        """The access rules read a subject's lead unit: an activity's is its organiser."""
        return self.unit_id


class VolunteerSignup(models.Model):
    """A resident's signup for an activity: a name and a phone, once per phone."""

    activity = models.ForeignKey(
        VolunteerActivity,
        on_delete=models.CASCADE,
        related_name="signups",
        verbose_name=_("volunteer activity"),
    )
    name = models.CharField(_("name"), max_length=50)
    # For the organiser's call only: never shown on a public page.
    phone = models.CharField(_("phone"), max_length=20)
    created_at = models.DateTimeField(_("signed up at"))

    class Meta:
        verbose_name = _("volunteer signup")
        verbose_name_plural = _("volunteer signups")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "phone"], name="volunteer_signup_once"),
        ]

    def __str__(self):
        return "{} {}".format(self.activity_id, self.name)


class VolunteerFinding(models.Model):
    """A problem an activity found, reported as a case."""

    activity = models.ForeignKey(
        VolunteerActivity,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("volunteer activity"),
    )
    case = models.OneToOneField(
        "citywork.Case",
        on_delete=models.PROTECT,
        related_name="volunteer_finding",
        verbose_name=_("case"),
    )
    found_at = models.DateTimeField(_("found at"))

    class Meta:
        verbose_name = _("problem found by volunteers")
        verbose_name_plural = _("problems found by volunteers")
        ordering = ["found_at", "pk"]

    def __str__(self):
        return "{} {}".format(self.activity_id, self.case_id)
