"""Reading the city-management campaigns: their lights, sums to date, weeks and reports."""

from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from vanguard.citywork.choices import ReportState
from vanguard.citywork.lights import CAMPAIGN
from vanguard.citywork.models import CampaignReport, CampaignWeek
from vanguard.citywork.queries.scope import campaigns_for
from vanguard.supervision.lights import annotate_light


def _sum(field, today):
    rows = (
        CampaignWeek.objects.filter(city_campaign=OuterRef("pk"), due_date__lt=today)
        .order_by()
        .values("city_campaign")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows), 0, output_field=DecimalField(max_digits=18, decimal_places=2))


def listed(user, campaign, today):
    """The campaigns ``user`` sees with their light, sums due to date and waiting reports."""
    waiting = (
        CampaignReport.objects.filter(city_campaign=OuterRef("pk"), state=ReportState.SUBMITTED)
        .order_by()
        .values("city_campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        annotate_light(campaigns_for(user, campaign), CAMPAIGN, campaign=campaign)
        .annotate(
            planned_to_date=_sum("planned", today),
            verified_to_date=_sum("verified", today),
            waiting=Subquery(waiting),
        )
        .select_related("lead_unit", "responsible_person")
        .order_by("code")
    )


def weeks_of(city_campaign):
    """The campaign's weeks, each with its report (if any), oldest first."""
    reports = {
        r.period: r
        for r in CampaignReport.objects.filter(city_campaign=city_campaign).select_related(
            "reported_by__person", "verified_by__person"
        )
    }
    weeks = list(CampaignWeek.objects.filter(city_campaign=city_campaign).order_by("period_start"))
    for week in weeks:
        week.report = reports.get(week.period)
    return weeks
