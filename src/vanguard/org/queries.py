"""Reads of the organisation: which campaign a page is about; the rest scoped by org.access."""

from django.http import Http404
from django.utils.translation import gettext as _

from vanguard.org.access import restrict
from vanguard.org.choices import CampaignStatus
from vanguard.org.models import Campaign, Person


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


def people_rows(user):
    """Header and rows of the people directory the user may see (for exports)."""
    headers = [_("Unit"), _("Name"), _("Post"), _("Phone"), _("Username")]
    rows = (
        restrict(Person.objects.all(), user)
        .order_by("unit__code", "name")
        .values_list("unit__name", "name", "post", "phone", "user__username")
    )
    return headers, rows.iterator(chunk_size=2000)


def report_working_days(campaign, period_kind):
    """How many working days after a period of ``period_kind`` its report falls due.

    The campaign's ReportDeadline for the cadence that schedules by that period kind
    decides; quarters, years and cadences without a row use the default, 1.
    """
    from vanguard.org.choices import CADENCE_PERIOD_KIND
    from vanguard.org.models import ReportDeadline

    cadences = [c for c, kind in CADENCE_PERIOD_KIND.items() if kind == str(period_kind)]
    if campaign is None or not cadences:
        return 1
    row = ReportDeadline.objects.filter(campaign=campaign, cadence=cadences[0]).first()
    return row.working_days_after if row else 1
