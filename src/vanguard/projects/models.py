"""Major projects (重大项目), their key nodes (一项目一图谱) and dekad reports (旬调度)."""

import os

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.core.money import format_yuan
from vanguard.projects.choices import (
    MilestoneState,
    ProjectKind,
    ReportStatus,
    SizeClass,
    Stage,
)


class KeyNode(models.Model):
    """One of a campaign's key nodes (关键节点) that every project runs through."""

    campaign = models.ForeignKey(
        "org.Campaign",
        on_delete=models.CASCADE,
        related_name="key_nodes",
        verbose_name=_("campaign"),
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("key node")
        verbose_name_plural = _("key nodes")
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="key_node_code_unique")
        ]

    def __str__(self):
        return self.name


class Project(models.Model):
    """A major project tracked by the projects task force through its pipeline."""

    campaign = models.ForeignKey(
        "org.Campaign",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("campaign"),
    )
    code = models.CharField(_("project code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    lead_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="lead_projects",
        verbose_name=_("lead unit"),
    )
    supporting_units = models.ManyToManyField(
        "org.Unit",
        blank=True,
        related_name="supported_projects",
        verbose_name=_("supporting units"),
    )
    responsible_person = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("responsible person"),
    )
    investment_yuan = models.BigIntegerField(_("total investment (yuan)"))
    # Derived from investment_yuan by the actions; stored so targets count by index.
    size_class = models.CharField(_("size class"), max_length=16, choices=SizeClass)
    sector = models.CharField(_("sector"), max_length=50, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ProjectKind, default=ProjectKind.OTHER
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage, default=Stage.NEGOTIATING)
    introduced_planned = models.DateField(_("planned introduction"), null=True, blank=True)
    started_planned = models.DateField(_("planned start"), null=True, blank=True)
    completed_planned = models.DateField(_("planned completion"), null=True, blank=True)
    # Actual dates come only from certified reports; *_certified_on says in which
    # period the fact was certified, which is the period it counts in.
    introduced_on = models.DateField(_("introduced on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    introduced_certified_on = models.DateField(
        _("introduction certified on"), null=True, blank=True
    )
    started_certified_on = models.DateField(_("start certified on"), null=True, blank=True)
    completed_certified_on = models.DateField(_("completion certified on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("major project")
        verbose_name_plural = _("major projects")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["campaign", "lead_unit", "code"]),
            models.Index(fields=["campaign", "stage"]),
            models.Index(fields=["campaign", "size_class"]),
            # The list's sector filter and its choices (a covering scan, not the table).
            models.Index(fields=["campaign", "sector"]),
            # The progress chart counts the year's certified introductions and starts by
            # day, lead unit and size class from these two alone, not from the table.
            models.Index(fields=["campaign", "introduced_certified_on", "size_class", "lead_unit"]),
            models.Index(fields=["campaign", "started_certified_on", "size_class", "lead_unit"]),
            models.Index(fields=["campaign", "completed_certified_on"]),
            # The latest change: with the count, the version under which the list's stage
            # counts and filter choices are cached.
            models.Index(fields=["campaign", "updated_at"]),
            # The map reads the projects in the visible box from this index alone.
            models.Index(fields=["campaign", "longitude", "latitude"], name="project_place"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(investment_yuan__gte=0), name="project_investment_not_negative"
            ),
        ]

    def __str__(self):
        return "{} {}".format(self.code, self.name)

    @property
    def investment_display(self):
        """The investment as offices write it: 亿元 from 1亿 up, else 万元."""
        return format_yuan(self.investment_yuan)


class StageChange(models.Model):
    """A move of a project from one stage to another; backwards moves carry a reason."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("project")
    )
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage)
    on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    report = models.ForeignKey(
        "DekadReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["project", "at"]
        # The charts' and the overview's 数据截至 is the newest one: read from the end.
        indexes = [models.Index(fields=["at"])]

    def __str__(self):
        return "{} {}→{}".format(self.project_id, self.from_stage, self.to_stage)


class Milestone(models.Model):
    """One key node of one project: planned date, actual date, state, evidence."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    node = models.ForeignKey(
        KeyNode, on_delete=models.PROTECT, related_name="milestones", verbose_name=_("key node")
    )
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=MilestoneState, default=MilestoneState.PENDING
    )
    # Under MEDIA_ROOT but at no public URL: only a view that checks access serves it.
    evidence = models.FileField(
        _("evidence"), upload_to="evidence/%Y/%m/", max_length=255, blank=True
    )
    not_needed_reason = models.CharField(_("why not needed"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "node__order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "node"], name="one_milestone_per_node"),
            models.CheckConstraint(
                condition=~Q(state=MilestoneState.DONE) | Q(actual_date__isnull=False),
                name="done_milestone_has_date",
            ),
        ]
        indexes = [models.Index(fields=["state", "planned_date"])]

    def __str__(self):
        return "{} · {}".format(self.project_id, self.node_id)


class EvidenceFile(models.Model):
    """One file uploaded as a key node's evidence; a replaced one is kept as history."""

    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        related_name="evidence_files",
        verbose_name=_("milestone"),
    )
    # Under MEDIA_ROOT but at no public URL, like Milestone.evidence (the current one).
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["milestone", "-uploaded_at", "-pk"]

    def __str__(self):
        return os.path.basename(self.file.name)


class DekadReport(models.Model):
    """A lead unit's report on one project for one dekad (旬报), certified or returned."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="reports", verbose_name=_("project")
    )
    # The lead unit when the report was filed: access and rankings follow it.
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="dekad_reports", verbose_name=_("unit")
    )
    period = models.CharField(_("dekad"), max_length=16)
    period_start = models.DateField(_("dekad start"))
    period_end = models.DateField(_("dekad end"))
    due_date = models.DateField(_("due date"))
    # Counted over days of a year whose holidays were not entered yet (暂定); the due
    # date is counted again when they are (projects.actions.due_dates.do_recount_due_dates).
    due_provisional = models.BooleanField(
        _("due date provisional"), default=False, db_default=False
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus, default=ReportStatus.SUBMITTED
    )
    progress = models.TextField(_("progress"))
    investment_yuan = models.BigIntegerField(
        _("investment completed in the dekad (yuan)"), default=0
    )
    stage_reached = models.CharField(_("stage reached"), max_length=16, choices=Stage, blank=True)
    stage_date = models.DateField(_("stage reached on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    late = models.BooleanField(_("late"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    # The problems the report names: new ones it raised and open ones it repeats.
    blockers = models.ManyToManyField(
        "blockers.Blocker", blank=True, related_name="reports", verbose_name=_("problems")
    )

    class Meta:
        verbose_name = _("dekad report")
        verbose_name_plural = _("dekad reports")
        ordering = ["-period_start", "project"]
        constraints = [
            # At most one report waiting for review and one certified per project and
            # dekad; a correction waits beside the certified report it will replace.
            models.UniqueConstraint(
                fields=["project", "period", "status"],
                condition=Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.CERTIFIED]),
                name="one_live_report_per_status",
            ),
            models.CheckConstraint(
                condition=Q(investment_yuan__gte=0), name="report_investment_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "period_start"]),
            models.Index(fields=["unit", "period_start"]),
            # The certification queue counts the waiting reports, lists their dekads and
            # reads a page in its order (dekad, unit, project) from this index, not from
            # the wide report rows.
            models.Index(fields=["status", "period", "unit", "project"]),
            # The monthly bulletin counts each unit's reports returned and certified in a
            # month from this index alone, not from a scan of every report.
            models.Index(
                fields=["reviewed_at", "unit", "status", "project"], name="report_reviewed_idx"
            ),
        ]

    def __str__(self):
        return "{} {}".format(self.project.code, self.period_display)

    @classmethod
    def describe_history_value(cls, key, value):
        """A report's key nodes in its change history, in words: 立项 2026-03-01."""
        if key != "nodes":
            return None
        label = str(_("key nodes reached"))
        if not value:
            return (label, None)
        nodes = KeyNode.objects.filter(pk__in=list(value)).order_by("order")
        return (label, "；".join("{} {}".format(n, value[str(n.pk)]) for n in nodes))

    @property
    def period_display(self):
        """The dekad as people write it: 2026年11月下旬."""
        from vanguard.calendar.periods import PeriodKind, period_containing

        return period_containing(PeriodKind.DEKAD, self.period_start).display_label

    @property
    def investment_display(self):
        """The dekad's investment as offices write it."""
        return format_yuan(self.investment_yuan)


class ReportedNode(models.Model):
    """A key node that a report says was reached, and when."""

    report = models.ForeignKey(
        DekadReport, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("report")
    )
    node = models.ForeignKey(
        KeyNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("key node")
    )
    actual_date = models.DateField(_("date reached"))

    class Meta:
        verbose_name = _("reported key node")
        verbose_name_plural = _("reported key nodes")
        constraints = [
            models.UniqueConstraint(fields=["report", "node"], name="node_once_per_report")
        ]

    def __str__(self):
        return "{} {}".format(self.node_id, self.actual_date)
