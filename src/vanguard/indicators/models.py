"""Indicators of a campaign, the areas compared, and monthly observations with their revisions.

Observations are kept as Chinese statistics publish them: for month N, the cumulative
year-to-date level (1–N月累计) and the cumulative growth over the same months of last
year (同比增长%). A revision never overwrites: it adds a row with the next version that
supersedes the current one, and only the newest row of an indicator, area and month is
current. The old rows stay, so every figure a bulletin quoted can be found again.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.core.figures import VersionedFigure, one_current
from vanguard.indicators.choices import (
    AreaLevel,
    Frequency,
    GoodDirection,
    IndicatorKind,
)
from vanguard.targets.models import format_amount

QUARTER_END_MONTHS = (3, 6, 9, 12)


class Area(models.Model):
    """The campaign's own area (the district) or a comparator area (the city, the province)."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="areas", verbose_name=_("campaign")
    )
    level = models.CharField(_("area level"), max_length=16, choices=AreaLevel)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["campaign", "level"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "level"], name="one_area_per_level"),
        ]

    def __str__(self):
        return self.name

    @property
    def code(self):
        """The area's code in URLs, sheets and the API: its level (district, city, province)."""
        return self.level

    @property
    def is_home(self):
        """True for the campaign's own area."""
        return self.level == AreaLevel.DISTRICT


class Indicator(models.Model):
    """An economic indicator the indicators task force schedules monthly (loaded from the plan)."""

    campaign = models.ForeignKey(
        "org.Campaign",
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("campaign"),
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    # Other names the statistics bureau's tables use, e.g. 规模以上工业增加值.
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=16)
    kind = models.CharField(_("kind"), max_length=16, choices=IndicatorKind)
    good_direction = models.CharField(
        _("good direction"), max_length=8, choices=GoodDirection, default=GoodDirection.UP
    )
    frequency = models.CharField(
        _("published"), max_length=16, choices=Frequency, default=Frequency.MONTHLY
    )
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    responsible_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("responsible unit"),
    )
    # The unit as the plan names it; linked to ``responsible_unit`` once that unit exists.
    responsible_unit_name = models.CharField(_("responsible unit (as named)"), max_length=200)
    # One of the "main economic indicators" the plan's relative year target covers.
    main = models.BooleanField(_("main indicator"), default=False)
    comparators = models.JSONField(_("comparators"), default=list, blank=True)
    # A year's worth added to the indicator per yuan invested in a major project that
    # starts production (竣工投产): the forecast's increment from the projects battle.
    project_increment_rate = models.DecimalField(
        _("increment per yuan of projects starting production"),
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["campaign", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="indicator_code_unique"),
            models.UniqueConstraint(fields=["campaign", "name"], name="indicator_name_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def measure(self):
        """The targets' measure key of this indicator's growth, e.g. indicators.gdp.growth."""
        return "indicators.{}.growth".format(self.code)

    @property
    def has_level(self):
        """True when the statistics publish a cumulative level, not only a growth rate."""
        return self.kind == IndicatorKind.LEVEL

    @property
    def quarterly(self):
        return self.frequency == Frequency.QUARTERLY

    def published_in(self, month):
        """True when the indicator is published for a month (quarterly: quarter-end months)."""
        return not self.quarterly or month.month in QUARTER_END_MONTHS


class Observation(VersionedFigure):
    """One published figure: an indicator's cumulative level and growth for an area and month.

    ``version`` counts from 1 per indicator, area and month; a revision is a new row with
    the next version, ``supersedes`` pointing at the row it replaces, which stays in the
    history with ``is_current`` off (``core.figures``, 0020).
    """

    figure_key = ("indicator", "area", "month")
    figure_values = ("level", "growth_pct")

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("indicator"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="observations", verbose_name=_("area")
    )
    # The first day of the month N whose 1–N月 cumulative figures these are.
    month = models.DateField(_("month"))
    # Cumulative year-to-date level, in the indicator's unit of measure (e.g. 亿元).
    level = models.DecimalField(
        _("cumulative level"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    # Cumulative growth over the same months of last year, in percent (同比增长%).
    growth_pct = models.DecimalField(
        _("cumulative growth (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["indicator", "area", "month", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "month", "version"], name="observation_version_once"
            ),
            # At most one figure in force per indicator, area and month: two people entering
            # the same figure at once cannot both win.
            one_current(["indicator", "area", "month"], name="one_current_observation"),
            models.CheckConstraint(
                condition=Q(level__isnull=False) | Q(growth_pct__isnull=False),
                name="observation_has_a_figure",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=0), name="observation_level_positive"
            ),
            models.CheckConstraint(
                condition=Q(growth_pct__isnull=True) | Q(growth_pct__gte=-100),
                name="observation_growth_above_minus_100",
            ),
        ]
        indexes = [models.Index(fields=["month", "is_current"], name="observation_month_idx")]

    def __str__(self):
        return "{} {} {} v{}".format(self.indicator, self.area, self.period_label, self.version)

    @property
    def period(self):
        return period_containing(PeriodKind.MONTH, self.month)

    @property
    def period_label(self):
        """The month's label, e.g. 2026-10."""
        return self.period.label

    @property
    def cumulative_label(self):
        """The months the figures cover, as statistics write them: 1-10月 (1月 for January)."""
        return cumulative_label(self.month)

    @property
    def level_text(self):
        """The level without trailing zeros or unit, as tables show it."""
        return format_amount(self.level)

    @property
    def growth_text(self):
        """The growth without trailing zeros or %, as tables show it."""
        return format_amount(self.growth_pct)

    @property
    def level_display(self):
        return format_amount(self.level, self.indicator.unit_of_measure)

    @property
    def growth_display(self):
        return format_amount(self.growth_pct, "%")


def cumulative_label(month):
    """1-N月 for month N, 1月 for January."""
    return "1月" if month.month == 1 else "1-{}月".format(month.month)
