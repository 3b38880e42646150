"""Background jobs of supervision: recompute the status lights after certification and daily."""

import logging
import time

from django.conf import settings
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

log = logging.getLogger(__name__)

# What the apps keep in the cache under the lights' or the facts' versions (the
# overview's ranking and week, the projects' counts), made again by the job that has
# just changed them, so that the first reader after a write does not wait for them.
# Each is ``make(campaign)``, registered in its app's ``ready()``.
AFTER_RECOMPUTE = []


def register_after_recompute(make):
    """Have ``make(campaign)`` run after each recompute job of a campaign."""
    AFTER_RECOMPUTE.append(make)


def _shared_cache():
    # A cache of one process (the default on one machine) would keep them for the
    # worker alone.
    return "LocMemCache" not in settings.CACHES["default"]["BACKEND"]


def make_kept_figures(campaign):
    """Run the registered makers for ``campaign``; one that fails is logged, not raised:
    the lights are stored already, and a reader makes the figure instead."""
    if not _shared_cache():
        return
    for make in AFTER_RECOMPUTE:
        try:
            make(campaign)
        except Exception:
            log.exception("making the kept figures of %s failed", campaign.code)


def pending_key(campaign_id, group=None):
    """The key of a pending mark in huey's store, which web and workers share.

    One per campaign and group of kinds (a battle), and one for the whole campaign.
    """
    if group is None:
        return "lights.recompute-pending.{}".format(campaign_id)
    return "lights.recompute-pending.{}.{}".format(campaign_id, group)


@db_task()
def recompute_lights(campaign_id, today=None, group=None):
    """Recompute one campaign's lights (of one group, or all); return how many changed."""
    # Cleared before the facts are read: anything committed from now on queues its own
    # job, so no certification waits for the night.
    HUEY.delete(pending_key(campaign_id, group))
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return None
    events = recompute(campaign, today=today, group=group).events
    make_kept_figures(campaign)
    return events


def _fresh(key, now):
    """True when a pending mark under ``key`` is set and was not left by a lost job."""
    since = HUEY.get(key, peek=True)
    return since is not None and now - since < STALE_SECONDS


def request_recompute(campaign_id, group=None):
    """Queue a recompute of a campaign's lights unless one is waiting; True when queued.

    ``group`` (a battle) asks for that group's kinds alone; a waiting recompute of the
    whole campaign covers it.
    """
    now = time.time()
    if group is not None and _fresh(pending_key(campaign_id), now):
        return False
    key = pending_key(campaign_id, group)
    if not HUEY.put_if_empty(key, now):
        if _fresh(key, now):
            return False
        HUEY.put(key, now)
    _enqueue(campaign_id, group)
    return True


def _enqueue(campaign_id, group=None):
    if HUEY.immediate:
        # Tests and scripts run jobs in place; a job scheduled ahead would never run.
        recompute_lights(campaign_id, group=group)
    else:
        recompute_lights.schedule((campaign_id,), {"group": group}, delay=MERGE_SECONDS)


class _RecomputeOnCommit:
    """The callback that asks for one campaign's recompute when a transaction commits."""

    def __init__(self, campaign_id, group=None):
        self.campaign_id = campaign_id
        self.group = group
        self.ran = False

    def __call__(self):
        self.ran = True
        request_recompute(self.campaign_id, self.group)


def schedule_recompute(campaign_ids, group=None):
    """Ask for a recompute of each campaign's lights once the current transaction commits.

    ``group`` is the battle whose facts the write changed (``kinds.groups``): only its
    kinds are judged again. None judges the whole campaign (a plan or its thresholds
    changed). A job that started before the commit would judge the old facts. Requests
    that arrive while a job of the same campaign and group waits are merged into it, and
    a transaction that writes many figures (an import) asks once per campaign and group.
    """
    group = str(group) if group is not None else None
    waiting = _waiting_in_this_transaction()
    for campaign_id in sorted(set(campaign_ids)):
        if (campaign_id, None) in waiting or (campaign_id, group) in waiting:
            continue
        transaction.on_commit(_RecomputeOnCommit(campaign_id, group))


def _waiting_in_this_transaction():
    """The (campaign, group) recomputes this transaction already asks for on commit.

    Django drops the callbacks of a rolled-back savepoint from ``run_on_commit``, so a
    request found there is made when the transaction commits. A test runs inside
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
        (callback.campaign_id, callback.group)
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
        make_kept_figures(campaign)
    return changed


# 00:30 UTC is 08:30 in Beijing: reminders reach people at the start of the working day.
@db_periodic_task(crontab(hour="0", minute="30"))
def daily_reminders():
    """Every morning, remind of what falls due (``vanguard remind``) and send it."""
    from vanguard.notices.delivery import send_pending
    from vanguard.supervision.reminders import remind

    lines = remind()
    send_pending()
    return len(lines)


# The monthly bulletin's job lives with the bulletin; huey finds it through this module.
from vanguard.supervision.bulletins.tasks import draft_due_bulletins  # noqa: E402, F401

# The ladder's nightly job lives with the orders; imported here so huey's worker finds it.
from vanguard.supervision.orders.tasks import run_all_ladders  # noqa: E402, F401
