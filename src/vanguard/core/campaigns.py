"""Which campaign a page is about."""

from django.http import Http404

from vanguard.org.choices import CampaignStatus
from vanguard.org.models import Campaign


def current_campaign(code=None):
    """The campaign named by ``code``, else the latest active one; 404 when there is none."""
    campaigns = Campaign.objects.all()
    if code:
        campaign = campaigns.filter(code=code).first()
    else:
        campaign = (
            campaigns.filter(status=CampaignStatus.ACTIVE).order_by("-year", "-start_date").first()
            or campaigns.order_by("-year").first()
        )
    if campaign is None:
        raise Http404("No campaign has been loaded.")
    return campaign
