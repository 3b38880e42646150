"""Sectors (一业一策), key enterprises, their monthly figures and visits.

A sector has a responsible unit and its plan's measures, and may feed one indicator.
Each key enterprise is known by its unified social credit code (GB 32100), belongs to
a sector and is served by one unit (服务单位); that unit's reporters, the indicators
task force and the office keep its monthly figures, its expectation for the rest of
the year and the visits paid to it. Problems found on a visit become blockers in the
one pool of blockers (``blockers.Blocker.visit`` / ``.enterprise``).

Money is stored in yuan and shown in 万元, as everywhere else. The tables keep the
names they had when these models lived in the indicators app (``indicators_*``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.core.figures import VersionedFigure, one_current
from vanguard.core.money import format_wan, format_yuan
from vanguard.enterprises.choices import FigureKind
from vanguard.enterprises.credit_code import validate_credit_code
from vanguard.targets.models import format_amount


class Sector(models.Model):
    """A sector of the campaign's economy with its sector plan (一业一策) and responsible unit."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="sectors", verbose_name=_("campaign")
    )
    name = models.CharField(_("name"), max_length=100)
    responsible_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="sectors",
        verbose_name=_("responsible unit"),
    )
    measures = models.TextField(_("sector plan measures"), blank=True)
    # The sector's guidance target (引导目标) for growth this year, in percent.
    guidance_growth_pct = models.DecimalField(
        _("guidance target growth (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    # The indicator the sector mainly feeds; found by the indicator's sector name when unset.
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sectors",
        verbose_name=_("main indicator fed"),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        db_table = "indicators_sector"
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["campaign", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="sector_name_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def guidance_display(self):
        """The guidance target as plans write it: 7.5%."""
        return format_amount(self.guidance_growth_pct, "%")


class KeyEnterprise(models.Model):
    """A key enterprise (重点企业) tracked by the indicators task force, served by one unit."""

    campaign = models.ForeignKey(
        "org.Campaign",
        on_delete=models.CASCADE,
        related_name="key_enterprises",
        verbose_name=_("campaign"),
    )
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, validators=[validate_credit_code]
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("sector")
    )
    serving_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="served_enterprises",
        verbose_name=_("serving unit"),
    )
    figure_kind = models.CharField(
        _("monthly figure"), max_length=16, choices=FigureKind, default=FigureKind.OUTPUT
    )
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    # What the enterprise itself expects to produce (or earn) in the rest of the year.
    expectation_yuan = models.BigIntegerField(
        _("expectation for the rest of the year (yuan)"), null=True, blank=True
    )
    expectation_on = models.DateField(_("expectation given on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        db_table = "indicators_keyenterprise"
        verbose_name = _("key enterprise")
        verbose_name_plural = _("key enterprises")
        ordering = ["campaign", "sector", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "credit_code"], name="key_enterprise_credit_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(expectation_yuan__isnull=True) | Q(expectation_yuan__gte=0),
                name="key_enterprise_expectation_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["serving_unit", "sector"], name="enterprise_unit_sector_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def expectation_display(self):
        return format_yuan(self.expectation_yuan)

    @property
    def expectation_wan_display(self):
        return format_wan(self.expectation_yuan)


class EnterpriseMonth(VersionedFigure):
    """A key enterprise's output (or revenue) in one month, with the same month of last year.

    Versioned as every figure is (``core.figures``, 0020): a revision is a new row with the
    next ``version`` that supersedes the one in force, which stays with ``is_current`` off.
    """

    figure_key = ("enterprise", "month")
    figure_values = ("value_yuan", "last_year_yuan")

    enterprise = models.ForeignKey(
        KeyEnterprise,
        on_delete=models.CASCADE,
        related_name="months",
        verbose_name=_("key enterprise"),
    )
    # The first day of the month.
    month = models.DateField(_("month"))
    value_yuan = models.BigIntegerField(_("value (yuan)"))
    last_year_yuan = models.BigIntegerField(_("same month last year (yuan)"), null=True, blank=True)
    # An enterprise's figures stay when the account that recorded them is removed.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        db_table = "indicators_enterprisemonth"
        verbose_name = _("enterprise monthly figure")
        verbose_name_plural = _("enterprise monthly figures")
        ordering = ["enterprise", "month", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "month", "version"], name="enterprise_month_version_once"
            ),
            # At most one figure in force per enterprise and month.
            one_current(["enterprise", "month"], name="one_current_enterprise_month"),
            models.CheckConstraint(
                condition=Q(value_yuan__gte=0), name="enterprise_month_value_positive"
            ),
            models.CheckConstraint(
                condition=Q(last_year_yuan__isnull=True) | Q(last_year_yuan__gte=0),
                name="enterprise_month_last_year_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["month"], name="enterprise_month_month_idx"),
            models.Index(fields=["month", "is_current"], name="enterprise_month_current_idx"),
        ]

    def __str__(self):
        return "{} {}".format(self.enterprise, self.month.strftime("%Y-%m"))

    @property
    def value_display(self):
        return format_yuan(self.value_yuan)

    @property
    def value_wan_display(self):
        return format_wan(self.value_yuan)

    @property
    def last_year_wan_display(self):
        return format_wan(self.last_year_yuan)

    @property
    def last_year_display(self):
        return format_yuan(self.last_year_yuan)


class Visit(models.Model):
    """A visit (走访) to a key enterprise: who went, what they found; problems become blockers."""

    enterprise = models.ForeignKey(
        KeyEnterprise,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("key enterprise"),
    )
    visited_on = models.DateField(_("visited on"))
    visitors = models.CharField(_("visitors"), max_length=300)
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        db_table = "indicators_visit"
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["enterprise", "-visited_on"]
        indexes = [models.Index(fields=["enterprise", "visited_on"], name="visit_enterprise_idx")]

    def __str__(self):
        return "{} {}".format(self.enterprise, self.visited_on.isoformat())
