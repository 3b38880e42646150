"""Background jobs of supervision: recompute the status lights after certification and daily."""

import time

from django.db import close_old_connections, transaction
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from vanguard.org.choices import CampaignStatus
from vanguard.org.models import Campaign
from vanguard.supervision.lights import recompute

# A task force working down its queue certifies report after report, each asking for
# a recompute of the campaign. The first request queues a job this many seconds ahead;
# requests made before it starts join it, so a burst costs one recompute.
MERGE_SECONDS = 15
# A pending mark older than this was left by a job that never ran (a consumer stopped,
# a queue flushed); the next request queues a fresh job instead of trusting it.
STALE_SECONDS = 15 * 60


def pending_key(campaign_id):
    """The key of a campaign's pending mark in huey's store, which web and workers share."""
    return "lights.recompute-pending.{}".format(campaign_id)


@db_task()
def recompute_lights(campaign_id, today=None):
    """Recompute one campaign's lights; return how many changed."""
    # Cleared before the facts are read: anything committed from now on queues its own
    # job, so no certification waits for the night.
    HUEY.delete(pending_key(campaign_id))
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return None
    return recompute(campaign, today=today).events


def request_recompute(campaign_id):
    """Queue a recompute of a campaign's lights unless one is waiting; True when queued."""
    key = pending_key(campaign_id)
    now = time.time()
    if not HUEY.put_if_empty(key, now):
        since = HUEY.get(key, peek=True)
        if since is not None and now - since < STALE_SECONDS:
            return False
        HUEY.put(key, now)
    _enqueue(campaign_id)
    return True


def _enqueue(campaign_id):
    if HUEY.immediate:
        # Tests and scripts run jobs in place; a job scheduled ahead would never run.
        recompute_lights(campaign_id)
    else:
        recompute_lights.schedule((campaign_id,), delay=MERGE_SECONDS)


class _RecomputeOnCommit:
    """The callback that asks for one campaign's recompute when a transaction commits."""

    def __init__(self, campaign_id):
        self.campaign_id = campaign_id
        self.ran = False

    def __call__(self):
        self.ran = True
        request_recompute(self.campaign_id)


def schedule_recompute(campaign_ids):
    """Ask for a recompute of each campaign's lights once the current transaction commits.

    A job that started before the commit would judge the old facts. Requests for a
    campaign that arrive while its job waits are merged into that job, and a
    transaction that writes many figures (an import) asks once per campaign.
    """
    waiting = _waiting_in_this_transaction()
    for campaign_id in sorted(set(campaign_ids) - waiting):
        transaction.on_commit(_RecomputeOnCommit(campaign_id))


def _waiting_in_this_transaction():
    """The campaigns whose recompute this transaction already asks for on commit.

    Django drops the callbacks of a rolled-back savepoint from ``run_on_commit``, so a
    campaign found there is asked for when the transaction commits. A test runs inside
    atomic blocks of its own that never commit: there the transaction is the first block
    opened by the code, and only the callbacks registered inside it count.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return set()
    blocks = connection.atomic_blocks
    first = next(
        (i for i, block in enumerate(blocks) if not getattr(block, "_from_testcase", False)),
        None,
    )
    if first is None:
        return set()
    savepoint = connection.savepoint_ids[first - 1] if first else None
    if first and savepoint is None:
        return set()
    return {
        callback.campaign_id
        for savepoints, callback, _robust in connection.run_on_commit
        if isinstance(callback, _RecomputeOnCommit)
        and not callback.ran
        and (savepoint is None or savepoint in savepoints)
    }


@HUEY.on_startup()
def catch_up_lights():
    """When a worker starts, ask for every active campaign's recompute.

    A worker killed in the middle of a recompute took the job with it, and its pending
    mark was already cleared: without this a certified key node would stay red until
    the night. Each worker thread asks; the pending mark merges the asks into one job.
    """
    try:
        for campaign_id in Campaign.objects.filter(status=CampaignStatus.ACTIVE).values_list(
            "pk", flat=True
        ):
            request_recompute(campaign_id)
    finally:
        if not HUEY.immediate:
            # A consumer's thread gives its connection back, as huey's db tasks do.
            close_old_connections()


# Huey reads crontabs in UTC: 16:20 UTC is 00:20 in Beijing, just after the day turns.
@db_periodic_task(crontab(hour="16", minute="20"))
def recompute_all_lights():
    """Every night, recompute the lights of every active campaign for the new day."""
    changed = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.ACTIVE).order_by("pk"):
        changed += recompute(campaign).events
    return changed


# The monthly bulletin's job lives with the bulletin; huey finds it through this module.
from vanguard.supervision.bulletins.tasks import draft_due_bulletins  # noqa: E402, F401

# The ladder's nightly job lives with the orders; imported here so huey's worker finds it.
from vanguard.supervision.orders.tasks import run_all_ladders  # noqa: E402, F401
