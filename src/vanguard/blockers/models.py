"""Blockers (堵点痛点): problems that stop progress, from any source, tracked until solved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanguard.blockers.choices import BlockerState, StepKind


class BlockerQuerySet(models.QuerySet):
    def about(self, thing):
        """The problems raised about ``thing`` (a project, a key enterprise)."""
        from vanguard.blockers.sources import source_for

        return self.filter(source_kind=source_for(thing).key, source_id=thing.pk)


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
    # What the problem is about and what raised it, as a registered source names them
    # (blockers.sources): ("project", the project's id, the dekad report's id), ("enterprise",
    # the key enterprise's id, the visit's id). No foreign key: any source may feed the pool.
    source_kind = models.CharField(_("source"), max_length=32, blank=True, default="")
    source_id = models.PositiveBigIntegerField(_("about"), null=True, blank=True)
    occasion_id = models.PositiveBigIntegerField(_("raised in"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = BlockerQuerySet.as_manager()

    class Meta:
        verbose_name = _("blocker")
        verbose_name_plural = _("blockers")
        ordering = ["state", "-raised_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=BlockerState.OPEN) | Q(resolved_on__isnull=False),
                name="resolved_blocker_has_date",
            ),
            models.CheckConstraint(
                condition=(
                    Q(source_kind="") & Q(source_id__isnull=True) & Q(occasion_id__isnull=True)
                )
                | (~Q(source_kind="") & Q(source_id__isnull=False)),
                name="blocker_source_named_whole",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["source_kind", "source_id"], name="blocker_source_idx"),
            models.Index(fields=["source_kind", "occasion_id"], name="blocker_occasion_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def source(self):
        """The registered source the problem was raised from (blockers.sources), or None."""
        from vanguard.blockers.sources import source_of

        return source_of(self)

    @property
    def battle(self):
        """The battle whose task force dispatches and closes the problem (from its source)."""
        source = self.source
        return source.battle if source else None

    @property
    def source_object(self):
        """The thing the problem is about (a project, a key enterprise); pages load it for
        many problems at once with ``blockers.sources.attach_sources``."""
        if "source_object" not in self.__dict__:
            self._load_source()
        return self.__dict__["source_object"]

    @source_object.setter
    def source_object(self, thing):
        self.__dict__["source_object"] = thing

    @property
    def occasion(self):
        """What raised the problem (a dekad report, a visit), or None."""
        if "occasion" not in self.__dict__:
            self._load_source()
        return self.__dict__["occasion"]

    @occasion.setter
    def occasion(self, occasion):
        self.__dict__["occasion"] = occasion

    @property
    def source_parts(self):
        """[(text, url), ...] naming where the problem was raised, as its source says."""
        source = self.source
        if source is None or self.source_object is None:
            return []
        return source.describe(self.source_object, self.occasion)

    @property
    def source_fields(self):
        """The API's fields naming the problem's source ({"project": code, "dekad": ...})."""
        source = self.source
        if source is None or self.source_object is None:
            return {}
        return source.reference(self.source_object, self.occasion)

    def _load_source(self):
        from vanguard.blockers.sources import attach_sources

        self.__dict__.setdefault("source_object", None)
        self.__dict__.setdefault("occasion", None)
        attach_sources([self])


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
