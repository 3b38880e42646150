"""What each user sees of the weekly work: ``org.access.restrict``, then ``narrow_weekly``."""

from vanguard.citywork.models import (
    CampaignReport,
    CampaignWeek,
    CityCampaign,
    Inspection,
    Place,
    RenewalProject,
    RenewalReport,
)
from vanguard.org import access

# The weekly work's models, each read through one of the functions below.
WEEKLY_WORK = (
    RenewalProject,
    RenewalReport,
    CityCampaign,
    CampaignWeek,
    CampaignReport,
    Place,
    Inspection,
)


def _seen(queryset, user, unit="lead_unit"):
    return access.narrow_weekly(access.restrict(queryset, user), user, unit=unit)


def renewal_for(user, campaign):
    """The campaign's renewal projects ``user`` may see."""
    return _seen(RenewalProject.objects.filter(campaign=campaign), user)


def renewal_reports_for(user, campaign):
    """The weekly reports of the renewal projects ``user`` may see."""
    return _seen(
        RenewalReport.objects.filter(project__campaign=campaign), user, "project__lead_unit"
    )


def campaigns_for(user, campaign):
    """The campaign's city-management campaigns ``user`` may see."""
    return _seen(CityCampaign.objects.filter(campaign=campaign), user)


def campaign_weeks_for(user, campaign):
    return _seen(
        CampaignWeek.objects.filter(city_campaign__campaign=campaign),
        user,
        "city_campaign__lead_unit",
    )


def campaign_reports_for(user, campaign):
    """The weekly reports of the city campaigns ``user`` may see."""
    return _seen(
        CampaignReport.objects.filter(city_campaign__campaign=campaign),
        user,
        "city_campaign__lead_unit",
    )


def places_for(user, campaign):
    """The campaign's demonstration zones and model roads ``user`` may see."""
    return _seen(Place.objects.filter(campaign=campaign), user)


def inspections_for(user, campaign):
    return _seen(Inspection.objects.filter(place__campaign=campaign), user, "place__lead_unit")
