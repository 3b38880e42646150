"""Background jobs of city work: the cases' lights follow the clock."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from vanguard.citywork.lights import CASE
from vanguard.citywork.models import Case
from vanguard.citywork.models.cases import TIMED_STATES
from vanguard.org.choices import CampaignStatus
from vanguard.org.models import Campaign
from vanguard.supervision.lights import recompute


def relight_cases():
    """Judge the open cases of every active campaign again; return how many lights changed.

    A case turns yellow and then red as its time limit runs out, with no write to ask for
    a recompute; this judges the cases' kind alone, every quarter of an hour, day and
    night (emergency hours run at night too).
    """
    changed = 0
    campaigns = Campaign.objects.filter(
        status=CampaignStatus.ACTIVE,
        pk__in=Case.objects.filter(state__in=TIMED_STATES).values("campaign_id"),
    ).order_by("pk")
    for campaign in campaigns:
        changed += recompute(campaign, only={CASE}).events
    return changed


@db_periodic_task(crontab(minute="*/15"))
def relight_cases_periodically():
    return relight_cases()
