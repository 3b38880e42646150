"""Urban renewal projects (城市更新项目): kinds the office defines, projects, weekly reports.

A renewal project is led by one unit with a responsible person, lies at a point or
within a polygon, and has planned and actual start and completion dates. Its lead unit
reports every week (周落实): progress in percent (形象进度), and the day it started or
was completed when it did; the city-work task force verifies each report or returns it
with a reason. Only verified reports count: verifying writes the project's actual
dates, its stage and its verified progress, and the lights and the third battle's
targets read those columns alone.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.choices import RenewalStage
from vanguard.citywork.models.located import Located
from vanguard.citywork.models.weekly import WeeklyReport


class RenewalKind(models.Model):
    """A kind of renewal project (老旧小区改造, 城中村改造, …): data the office keeps, not code."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("A kind not in use takes no new projects.")
    )

    class Meta:
        verbose_name = _("renewal kind")
        verbose_name_plural = _("renewal kinds")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class RenewalProject(Located):
    """One urban renewal project of a campaign, its plan and its verified facts."""

    campaign = models.ForeignKey(
        "org.Campaign",
        on_delete=models.CASCADE,
        related_name="renewal_projects",
        verbose_name=_("campaign"),
    )
    # Unique per campaign: the key of the workbook, so export → import round-trips.
    code = models.CharField(_("project code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    kind = models.ForeignKey(
        RenewalKind, on_delete=models.PROTECT, related_name="projects", verbose_name=_("kind")
    )
    lead_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="renewal_projects",
        verbose_name=_("lead unit"),
    )
    responsible_person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="renewal_projects",
        verbose_name=_("responsible person"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    planned_start = models.DateField(_("planned start"))
    planned_completion = models.DateField(_("planned completion"))
    # Verified facts: written only when the task force verifies a weekly report.
    stage = models.CharField(
        _("stage"), max_length=16, choices=RenewalStage, default=RenewalStage.PLANNED
    )
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_completion = models.DateField(_("actual completion"), null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(_("verified progress (%)"), default=0)
    verified_period = models.CharField(_("verified up to"), max_length=16, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("renewal project")
        verbose_name_plural = _("renewal projects")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="renewal_code_per_campaign"),
            models.CheckConstraint(
                condition=Q(planned_completion__gte=F("planned_start")),
                name="renewal_planned_in_order",
            ),
            models.CheckConstraint(
                condition=Q(actual_completion__isnull=True)
                | Q(actual_start__isnull=False, actual_completion__gte=F("actual_start")),
                name="renewal_actual_in_order",
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="renewal_progress_percent"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "lead_unit"], name="renewal_campaign_unit"),
            models.Index(fields=["campaign", "kind", "actual_start"], name="renewal_kind_start"),
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="renewal_bbox"),
        ]

    def __str__(self):
        return "{} {}".format(self.code, self.name)


class RenewalReport(WeeklyReport):
    """The lead unit's report on a renewal project for one week."""

    project = models.ForeignKey(
        RenewalProject, on_delete=models.CASCADE, related_name="reports", verbose_name=_("project")
    )
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("renewal weekly report")
        verbose_name_plural = _("renewal weekly reports")
        ordering = ["project", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="renewal_report_per_week"),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="renewal_report_percent"
            ),
        ]
        indexes = [
            models.Index(fields=["period", "state"], name="renewal_report_week"),
            models.Index(fields=["state", "project"], name="renewal_report_state"),
        ]

    def __str__(self):
        return "{} {}".format(self.project.code, self.period)
