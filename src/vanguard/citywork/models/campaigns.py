"""The city-management campaigns (城市管理攻坚行动): weekly targets, reports, verified figures.

The plan names thirteen campaigns (traffic congestion, illegal construction, …); the
office defines them: each counts one measure in its own unit (cases closed 件, illegal
building removed 平方米, roads cleared 条) and plans a quantity for every week from its
start to its end. The lead unit reports each week's quantity; the city-work task force
verifies it or returns it. Verifying writes the week's verified quantity on the week's
row, so 序时进度 (what was planned for the weeks due so far against what was verified)
is a sum over the weeks.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.models.weekly import WeeklyReport

# Quantities: up to a hundred billion with two decimals (件, 平方米, 条, 公里).
QUANTITY = {"max_digits": 16, "decimal_places": 2}


class CityCampaign(models.Model):
    """One of the city-management campaigns of a campaign (攻坚行动), with its weekly plan."""

    campaign = models.ForeignKey(
        "org.Campaign",
        on_delete=models.CASCADE,
        related_name="city_campaigns",
        verbose_name=_("campaign"),
    )
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    lead_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="city_campaigns",
        verbose_name=_("lead unit"),
    )
    responsible_person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="city_campaigns",
        verbose_name=_("responsible person"),
    )
    measure = models.CharField(_("what is counted"), max_length=100)
    measuring_unit = models.CharField(_("measuring unit"), max_length=16)
    weekly_target = models.DecimalField(_("weekly target"), **QUANTITY)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("city-management campaign")
        verbose_name_plural = _("city-management campaigns")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "code"], name="city_campaign_code_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="city_campaign_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(weekly_target__gt=0), name="city_campaign_weekly_target"
            ),
        ]

    def __str__(self):
        return self.name


class CampaignWeek(models.Model):
    """A campaign's plan for one week and, once verified, the quantity that counts."""

    city_campaign = models.ForeignKey(CityCampaign, on_delete=models.CASCADE, related_name="weeks")
    period = models.CharField(_("week"), max_length=16)
    period_start = models.DateField(_("week start"))
    due_date = models.DateField(_("due date"))
    planned = models.DecimalField(_("planned"), **QUANTITY)
    # The verified report's quantity (None: nothing verified for the week yet).
    verified = models.DecimalField(_("verified"), null=True, blank=True, **QUANTITY)

    class Meta:
        verbose_name = _("campaign week")
        verbose_name_plural = _("campaign weeks")
        ordering = ["city_campaign", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["city_campaign", "period"], name="campaign_week_once"),
            models.CheckConstraint(condition=Q(planned__gte=0), name="campaign_week_planned"),
        ]
        indexes = [
            models.Index(fields=["city_campaign", "due_date"], name="campaign_week_due"),
            models.Index(fields=["period"], name="campaign_week_period"),
        ]

    def __str__(self):
        return "{} {}".format(self.city_campaign.code, self.period)


class CampaignReport(WeeklyReport):
    """The lead unit's quantity for one week of a campaign."""

    city_campaign = models.ForeignKey(
        CityCampaign, on_delete=models.CASCADE, related_name="reports", verbose_name=_("campaign")
    )
    quantity = models.DecimalField(_("quantity this week"), **QUANTITY)

    class Meta:
        verbose_name = _("campaign weekly report")
        verbose_name_plural = _("campaign weekly reports")
        ordering = ["city_campaign", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["city_campaign", "period"], name="campaign_report_per_week"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="campaign_report_quantity"),
        ]
        indexes = [models.Index(fields=["period", "state"], name="campaign_report_week")]

    def __str__(self):
        return "{} {}".format(self.city_campaign.code, self.period)
