"""Demonstration zones (示范区) and model roads (精品道路): checklists, inspections, acceptance.

A place is a zone (a polygon) or a road (a line) that a lead unit builds up to a
standard. The standard is a checklist of acceptance criteria per kind of place, kept by
the office as data. The task force inspects (who, when, which criteria were met,
remarks); the lead unit applies for acceptance when it is ready; the task force accepts
it once an inspection on or after the application met every criterion, or sends it
back with a reason. Only accepted places count toward the targets.

Photos of inspections are not kept here: they are in the one photo store of city work
(``models.photos``), attached to the inspection in the role "inspection".
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.choices import PlaceKind, PlaceState
from vanguard.citywork.models.located import Located


class Criterion(models.Model):
    """One acceptance criterion (验收标准) on the checklist of a kind of place."""

    kind = models.CharField(_("kind of place"), max_length=8, choices=PlaceKind)
    code = models.SlugField(_("code"), max_length=64)
    text = models.CharField(_("criterion"), max_length=300)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("A criterion not in use is left off new checks.")
    )

    class Meta:
        verbose_name = _("acceptance criterion")
        verbose_name_plural = _("acceptance criteria")
        ordering = ["kind", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="criterion_code")]

    def __str__(self):
        return self.text


class Place(Located):
    """A demonstration zone or a model road of a campaign, on its way to acceptance."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="places", verbose_name=_("campaign")
    )
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of place"), max_length=8, choices=PlaceKind)
    lead_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="places", verbose_name=_("lead unit")
    )
    responsible_person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="places",
        verbose_name=_("responsible person"),
    )
    description = models.TextField(_("description"), blank=True)
    # A road's length along its line, in metres (none for a zone).
    length_m = models.PositiveIntegerField(_("length (m)"), null=True, blank=True)
    planned_acceptance = models.DateField(_("planned acceptance"))
    state = models.CharField(
        _("state"), max_length=16, choices=PlaceState, default=PlaceState.CREATING
    )
    applied_on = models.DateField(_("applied for acceptance on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    # Why the last application was sent back, until the next one.
    return_reason = models.TextField(_("reason sent back"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("demonstration zone or model road")
        verbose_name_plural = _("demonstration zones and model roads")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="place_code_per_campaign"),
            models.CheckConstraint(
                condition=Q(state=PlaceState.ACCEPTED, accepted_on__isnull=False)
                | (~Q(state=PlaceState.ACCEPTED) & Q(accepted_on__isnull=True)),
                name="place_accepted_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "lead_unit"], name="place_campaign_unit"),
            models.Index(fields=["campaign", "kind", "accepted_on"], name="place_kind_accepted"),
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="place_bbox"),
        ]

    def __str__(self):
        return "{} {}".format(self.code, self.name)


class Inspection(models.Model):
    """An inspection of a place: who, when, which criteria were met, remarks.

    The checklist is kept as it was that day (each criterion's code, text and whether it
    was met), so a later change of the criteria does not rewrite what was found.
    """

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="inspections")
    inspected_on = models.DateField(_("inspected on"))
    inspectors = models.CharField(_("inspectors"), max_length=200)
    checklist = models.JSONField(_("checklist"), default=list)
    met_count = models.PositiveSmallIntegerField(_("criteria met"))
    total_count = models.PositiveSmallIntegerField(_("criteria checked"))
    remarks = models.TextField(_("remarks"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    # The photos taken, from the photo store; they go when the inspection goes.
    photo_attachments = GenericRelation("citywork.PhotoAttachment", related_query_name="inspection")

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["place", "-inspected_on", "-pk"]
        indexes = [models.Index(fields=["place", "inspected_on"], name="inspection_place_day")]

    def __str__(self):
        return "{} {}".format(self.place.code, self.inspected_on)

    @property
    def passed(self):
        """Every criterion checked was met."""
        return self.total_count > 0 and self.met_count == self.total_count
