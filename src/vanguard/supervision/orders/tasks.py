"""The ladder's nightly run, after the lights have been recomputed for the new day."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from vanguard.org.access import SYSTEM
from vanguard.org.choices import CampaignStatus
from vanguard.org.models import Campaign
from vanguard.supervision.orders.ladder import do_run_ladder


# Huey reads crontabs in UTC: 16:50 UTC is 00:50 in Beijing, half an hour after the
# nightly recompute of the lights (tasks.recompute_all_lights), which the ladder reads.
@db_periodic_task(crontab(hour="16", minute="50"))
def run_all_ladders():
    """Every night, run the ladder of every active campaign; return the proposals made."""
    proposed = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.ACTIVE).order_by("pk"):
        proposed += do_run_ladder(campaign, actor=SYSTEM).total_proposed
    return proposed
