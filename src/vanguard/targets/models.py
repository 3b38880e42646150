"""Targets of a campaign and their trajectory (以月保季、以季保年)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanguard.calendar.periods import parse_label
from vanguard.org.choices import Battle
from vanguard.targets.choices import Comparator, TargetKind


def format_amount(value, unit_of_measure=""):
    """Show a Decimal without trailing zeros, followed by its unit ("230个", "6.5%")."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}{unit_of_measure}"


class Target(models.Model):
    """A numeric target of a campaign for a period (a year or a quarter)."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="targets", verbose_name=_("campaign")
    )
    code = models.SlugField(_("code"), max_length=64)
    battle = models.CharField(_("battle"), max_length=16, choices=Battle)
    task_force = models.ForeignKey(
        "org.TaskForce",
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("task force"),
    )
    name = models.CharField(_("name"), max_length=200)
    # A calendar period label: "2026" for the year, "2026-Q1" for a quarter.
    period = models.CharField(_("period"), max_length=16)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    kind = models.CharField(_("kind"), max_length=16, choices=TargetKind)
    # What the target counts or measures, e.g. "projects.introduced.size_1e8".
    measure = models.CharField(_("measure"), max_length=100)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=16, blank=True)
    comparators = models.JSONField(_("comparators"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["campaign", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="target_code_unique"),
            models.UniqueConstraint(
                fields=["campaign", "measure", "period"], name="one_target_per_measure_and_period"
            ),
            models.CheckConstraint(
                condition=Q(kind=TargetKind.RELATIVE) | Q(value__isnull=False),
                name="absolute_target_has_value",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="target_value_not_negative"
            ),
        ]

    # The measure is the key reports are counted by (projects.started); the target's
    # name says it in words, so change histories leave the key out.
    history_hidden_keys = ("measure",)

    def __str__(self):
        return self.name

    @property
    def period_display(self):
        """The period in words, e.g. "2026年第一季度"."""
        return parse_label(self.period).display_label

    @property
    def value_display(self):
        """The value with its unit, e.g. "230个" or "6.5%"."""
        return format_amount(self.value, self.unit_of_measure)

    @property
    def comparator_display(self):
        """The comparators in words, e.g. "Province, City"."""
        labels = [str(Comparator(c).label) for c in self.comparators if c in Comparator.values]
        return "、".join(labels)

    @property
    def expected_display(self):
        """Where the target should stand today (set by the overview query)."""
        expected = getattr(self, "expected_today", None)
        if expected is None:
            return ""
        if self.kind == TargetKind.COUNT:
            # Projects and roads come whole: 213.46 projects due by today means 213.
            expected = expected.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return format_amount(expected, self.unit_of_measure)


class Checkpoint(models.Model):
    """Where a target should stand by the end of a month or quarter of its period."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="checkpoints", verbose_name=_("target")
    )
    period_kind = models.CharField(_("period kind"), max_length=16)
    period = models.CharField(_("period"), max_length=16)
    end_date = models.DateField(_("date"))
    value = models.DecimalField(_("value to date"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["target", "end_date", "period_kind"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period"], name="checkpoint_once_per_period")
        ]

    def __str__(self):
        return f"{self.target} {self.period}"
