"""The units' lists (一单位一清单): items the office assigns, their checkpoints, progress reports.

A list item is work a unit owes in a campaign: a requirement, a responsible person, a
deadline, a cadence (weekly, dekad or monthly) and a measure (a quantity against a
target, or milestones). Its checkpoints are the plan per period of its cadence: the
cumulative quantity planned by then, or the milestone to reach. The unit reports its
progress per period; the task force of the item's battle verifies it (核验) or returns it
with a reason. Only verified progress counts: verifying a report writes the item's
verified cumulative quantity and marks the checkpoints it reaches, and the lights are
judged from those facts alone.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanguard.lists.choices import Measure, ReportState
from vanguard.org.choices import Battle, Cadence

# Quantities: up to a hundred billion with two decimals (公里, 万元, 个, %).
QUANTITY = {"max_digits": 16, "decimal_places": 2}


class ListItem(models.Model):
    """One item of a unit's list: what it owes, who answers for it, by when, measured how."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="list_items"
    )
    # Unique per campaign: the key of the list's workbook, so export → import round-trips.
    code = models.CharField(_("item code"), max_length=64)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="list_items", verbose_name=_("unit")
    )
    battle = models.CharField(_("battle"), max_length=16, choices=Battle)
    requirement = models.TextField(_("requirement"))
    responsible_person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="list_items",
        verbose_name=_("responsible person"),
    )
    deadline = models.DateField(_("deadline"))
    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence)
    measure = models.CharField(_("measure"), max_length=16, choices=Measure)
    target_quantity = models.DecimalField(_("target quantity"), null=True, blank=True, **QUANTITY)
    measuring_unit = models.CharField(_("measuring unit"), max_length=16, blank=True)
    # The cumulative quantity of the latest verified report (by period): what counts.
    verified_quantity = models.DecimalField(
        _("verified quantity"), null=True, blank=True, **QUANTITY
    )
    verified_period = models.CharField(_("verified up to"), max_length=16, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("list item")
        verbose_name_plural = _("list items")
        ordering = ["unit__code", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "code"], name="list_item_code_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(measure=Measure.MILESTONE) | Q(target_quantity__gt=0),
                name="list_item_quantity_has_target",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "unit"], name="list_item_campaign_unit")]

    def __str__(self):
        return "{} {}".format(self.code, self.requirement[:40])

    @property
    def is_quantity(self):
        return self.measure == Measure.QUANTITY


class Checkpoint(models.Model):
    """The plan of one period of an item's cadence: a cumulative quantity or a milestone."""

    item = models.ForeignKey(ListItem, on_delete=models.CASCADE, related_name="checkpoints")
    # The calendar's machine label of the period (2026-03-D1, 2026-W10, 2026-03).
    period = models.CharField(_("period"), max_length=16)
    period_start = models.DateField(_("period start"))
    due_date = models.DateField(_("due date"))
    planned_quantity = models.DecimalField(
        _("planned cumulative quantity"), null=True, blank=True, **QUANTITY
    )
    milestone = models.CharField(_("milestone"), max_length=500, blank=True)
    # The day verified progress first reached this checkpoint (None: not reached).
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["item", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["item", "period"], name="checkpoint_period_per_item")
        ]
        indexes = [models.Index(fields=["item", "due_date"], name="checkpoint_item_due")]

    def __str__(self):
        return "{} {}".format(self.item.code, self.period)


class ProgressReport(models.Model):
    """A unit's progress on an item for one period: submitted, then verified or returned.

    One report per item and period: a returned report is corrected and submitted again
    (its version moves on); a verified one is final.
    """

    item = models.ForeignKey(ListItem, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(_("period"), max_length=16)
    period_start = models.DateField(_("period start"))
    quantity = models.DecimalField(_("cumulative quantity"), null=True, blank=True, **QUANTITY)
    milestone_done = models.BooleanField(_("milestone done"), default=False)
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ReportState, default=ReportState.SUBMITTED
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["item", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["item", "period"], name="progress_report_per_period")
        ]
        indexes = [models.Index(fields=["state", "item"], name="progress_report_state")]

    def __str__(self):
        return "{} {}".format(self.item.code, self.period)
