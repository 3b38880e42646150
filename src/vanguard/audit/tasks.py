"""Background jobs of the change log (huey; see docs/decisions/0002-jobs.md)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from vanguard.audit.log import verify_chain, write_checkpoint

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="0"))
def verify_change_log():
    """Check the change log's chain every night, then publish a checkpoint of its head.

    A broken link is logged loudly and no checkpoint is written over it.
    """
    result = verify_chain()
    if not result.ok:
        log.error("change log broken at #%s: %s", result.broken_seq, result.problem)
        return False
    try:
        write_checkpoint()
    except OSError:
        log.exception("change log checkpoint could not be published")
    return True
