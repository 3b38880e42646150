"""Reads of the organisation: which campaign a page is about; the rest scoped by org.access."""

from django.http import Http404
from django.utils.translation import gettext as _

from vanguard.core.compiled import Compiled
from vanguard.org.access import restrict
from vanguard.org.choices import CampaignStatus
from vanguard.org.models import Campaign, Person, ReportDeadline


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

    cadences = [c for c, kind in CADENCE_PERIOD_KIND.items() if kind == str(period_kind)]
    if campaign is None or not cadences:
        return 1
    rows = _WORKING_DAYS.rows(campaign.pk, cadences[0])
    return rows[0][0] if rows else 1


def _working_days_of(campaign_id, cadence):
    return ReportDeadline.objects.filter(campaign_id=campaign_id, cadence=cadence).values_list(
        "working_days_after"
    )[:1]


# Every report filed reads its deadline rule: the SQL is written once (stand-in values).
_WORKING_DAYS = Compiled(_working_days_of, -918273645, "vanguard-stand-in")
