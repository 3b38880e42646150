"""API of the work queue (待办): what waits for the caller, by kind, with due dates and links."""

import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from vanguard.board.work import queue_of
from vanguard.org.queries import current_campaign
from vanguard.supervision.queue import LIMIT

router = Router(tags=["work queue"])


class QueueItemOut(Schema):
    label: str
    url: str
    due: datetime.date | None
    late: bool
    reason: str
    unit: str


class QueueKindOut(Schema):
    kind: str
    label: str
    role: str
    count: int
    # True when the count stopped at ``count`` and more wait.
    more: bool
    late_count: int
    more_url: str | None
    items: list[QueueItemOut]


class QueueOut(Schema):
    campaign: str | None
    today: datetime.date
    total: int
    # True when some kind's count stopped short: ``total`` is then a lower bound.
    more: bool
    kinds: list[QueueKindOut]


@router.get("/queue", response=QueueOut)
def my_queue(
    request,
    campaign: str | None = None,
    limit: Annotated[int, Field(ge=1, le=100)] = LIMIT,
):
    """The caller's work queue in the campaign (the current one by default).

    Each kind that waits for the caller (a unit's reporter: dekad reports, list progress
    and indicator figures due, reports returned with the reason, orders to sign for and
    answer; a task force: reports to certify, progress to verify, answers to check; the
    office: the ladder's proposals to confirm, bulletins to issue; a leader: talks to
    approve; the discipline inspector: referred cases) with how many wait (``count``; with
    ``more``, at least that many: a kind may stop counting), how many of them are late
    (``late_count``: past their due date, or filed late), and its first ``limit``
    items, soonest due first: each with its due date, whether it is late, why it waits
    and the page where it is done (``url``). Kinds with nothing waiting are left out;
    a caller without a campaign role gets an empty queue.
    """
    today = timezone.localdate()
    chosen = current_campaign(campaign) if campaign else None
    found, rows = queue_of(request, chosen, limit=limit)
    return {
        "campaign": found.code if found else None,
        "today": today,
        "total": sum(row.count for row in rows),
        "more": any(row.more for row in rows),
        "kinds": rows,
    }
