"""Background jobs of supervision: recompute the status lights after certification and daily."""

import functools

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from vanguard.org.choices import CampaignStatus
from vanguard.org.models import Campaign
from vanguard.supervision.lights import recompute


@db_task()
def recompute_lights(campaign_id, today=None):
    """Recompute one campaign's lights; return how many changed."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return None
    return recompute(campaign, today=today).events


def schedule_recompute(campaign_ids):
    """Queue a recompute of each campaign's lights once the current transaction commits.

    A job that started before the commit would judge the old facts.
    """
    for campaign_id in sorted(set(campaign_ids)):
        transaction.on_commit(functools.partial(recompute_lights, campaign_id))


# Huey reads crontabs in UTC: 16:20 UTC is 00:20 in Beijing, just after the day turns.
@db_periodic_task(crontab(hour="16", minute="20"))
def recompute_all_lights():
    """Every night, recompute the lights of every active campaign for the new day."""
    changed = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.ACTIVE).order_by("pk"):
        changed += recompute(campaign).events
    return changed
