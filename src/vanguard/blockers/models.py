"""Blockers (堵点痛点): problems that stop progress, from any source, tracked until solved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanguard.blockers.choices import BlockerState, StepKind


class Blocker(models.Model):
    """A problem with an owner unit and a state; closed with a resolution."""

    campaign = models.ForeignKey(
        "org.Campaign",
        on_delete=models.PROTECT,
        related_name="blockers",
        verbose_name=_("campaign"),
    )
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="blockers", verbose_name=_("owner unit")
    )
    owner = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blockers",
        verbose_name=_("owner"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=BlockerState, default=BlockerState.OPEN
    )
    raised_on = models.DateField(_("raised on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    # Where the problem came from: one nullable link per source.
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blockers",
        verbose_name=_("project"),
    )
    report = models.ForeignKey(
        "projects.DekadReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        # The report that first raised it; every report naming it is in ``reports``.
        related_name="raised_blockers",
        verbose_name=_("raised in report"),
    )
    enterprise = models.ForeignKey(
        "indicators.KeyEnterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blockers",
        verbose_name=_("key enterprise"),
    )
    visit = models.ForeignKey(
        "indicators.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blockers",
        verbose_name=_("raised on visit"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("blocker")
        verbose_name_plural = _("blockers")
        ordering = ["state", "-raised_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=BlockerState.OPEN) | Q(resolved_on__isnull=False),
                name="resolved_blocker_has_date",
            )
        ]
        indexes = [models.Index(fields=["unit", "state"])]

    def __str__(self):
        return self.title

    @property
    def battle(self):
        """The battle whose task force dispatches and closes the problem (from its source)."""
        from vanguard.blockers.sources import source_of

        source = source_of(self)
        return source.battle if source else None


class BlockerStep(models.Model):
    """One step in following a blocker: a dispatch to another unit, or a follow-up note."""

    blocker = models.ForeignKey(
        Blocker, on_delete=models.CASCADE, related_name="steps", verbose_name=_("blocker")
    )
    kind = models.CharField(_("step"), max_length=16, choices=StepKind)
    note = models.TextField(_("note"), blank=True)
    # For a dispatch: the owner unit before and after.
    from_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from unit"),
    )
    to_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to unit"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("blocker step")
        verbose_name_plural = _("blocker steps")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=StepKind.DISPATCHED) | Q(to_unit__isnull=False),
                name="dispatch_names_a_unit",
            )
        ]

    def __str__(self):
        return "{}: {}".format(self.get_kind_display(), self.note[:40])
