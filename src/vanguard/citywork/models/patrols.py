"""Patrols (巡查): a member of the office or the city-work task force goes out, records the
problems found, and comes back.

A patrol runs from its start to its end; a member has at most one open at a time (the
database holds to it). Each problem found is a ``PatrolFinding``: the case it reported
(registered at once, the member its checker) or, when an open case of the same category
was already there, that case, supported ("me too") instead of a duplicate.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Patrol(models.Model):
    """One patrol of one member: when, where (a grid or an area in words), a note."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="patrols", verbose_name=_("campaign")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="patrols",
        verbose_name=_("patrol member"),
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    grid = models.ForeignKey(
        "citywork.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patrols",
        verbose_name=_("grid"),
    )
    area = models.CharField(_("area patrolled"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_at__isnull=True),
                name="patrol_one_open_per_member",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="patrol_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["member", "started_at"], name="patrol_member")]

    def __str__(self):
        return self.number

    @property
    def number(self):
        """How staff quote a patrol: ``XC`` and its id."""
        return "XC{:06d}".format(self.pk) if self.pk else ""

    @property
    def is_open(self):
        return self.ended_at is None


class PatrolFinding(models.Model):
    """A problem a patrol found: the case it reported, or the open case it supported."""

    patrol = models.ForeignKey(
        Patrol, on_delete=models.CASCADE, related_name="findings", verbose_name=_("patrol")
    )
    case = models.ForeignKey(
        "citywork.Case",
        on_delete=models.PROTECT,
        related_name="patrol_findings",
        verbose_name=_("case"),
    )
    # True: an open case of the same category was already there; the patrol supported it.
    supported = models.BooleanField(_("supported an open case"), default=False)
    # What the member saw: the case's description, or their words on the case supported.
    note = models.TextField(_("what was seen"), max_length=4000, blank=True)
    found_at = models.DateTimeField(_("found at"))

    class Meta:
        verbose_name = _("patrol finding")
        verbose_name_plural = _("patrol findings")
        ordering = ["found_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["patrol", "case"], name="patrol_finding_once"),
        ]

    def __str__(self):
        return "{} {}".format(self.patrol_id, self.case_id)
