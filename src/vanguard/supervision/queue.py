"""The work queue (待办): what waits for one person, gathered from the domains.

The sibling of the unit's list (``owed.py``): that one says what a unit owes, this one
what a person must do next, by role. A domain registers, in its ``AppConfig.ready()``,
each kind of work it hands out: ``register_queue(kind, label, provider, applies=...)``.
``applies(user)`` says cheaply, from what the user holds (``org.access.access_for``),
whether the kind can concern them; ``provider(campaign, user, today, limit)`` returns a
``Section`` (how many wait, and the first ``limit`` of them, soonest due first),
set-based: a fixed number of queries however many rows. The landing page, the
navigation's count and the API read the queue through ``queue_for``, which never
imports a domain.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

# The roles a kind of work belongs to, in the order the queue shows them.
REPORTER, TASK_FORCE, OFFICE = "reporter", "task_force", "office"
LEADER, INSPECTOR = "leader", "inspector"
ROLE_ORDER = (REPORTER, TASK_FORCE, OFFICE, LEADER, INSPECTOR)
# How many items of each kind the landing page, the count and the API carry.
LIMIT = 20


@dataclass(frozen=True)
class QueueItem:
    """One thing to do: what, where to do it, by when, whether that day has passed, why."""

    label: str
    url: str
    due: datetime.date | None = None
    late: bool = False
    # Why it waits: a returned report's reason, an order's requirement.
    reason: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Section:
    """How many of a kind wait (``count``), how many of them late (``late``), and the
    first of them (``items``). ``more``: the count stopped at ``count`` and more wait (a
    province's task force has hundreds of thousands of reports to certify)."""

    count: int
    items: list = field(default_factory=list)
    late: int = 0
    more: bool = False


@dataclass(frozen=True)
class Kind:
    kind: str
    label: str
    role: str
    provider: object
    applies: object
    # The page that lists every one of them, when the queue shows only the first.
    more_url: object = None


@dataclass(frozen=True)
class QueueRow:
    """One kind of work as the queue shows it."""

    kind: str
    label: str
    role: str
    count: int
    late_count: int
    items: list
    more_url: str | None
    more: bool = False


KINDS = {}


def register_queue(kind, label, provider, *, role, applies, more_url=None):
    """Add a kind of work a domain hands out; a kind is registered once.

    ``more_url`` is a URL name or a callable of the campaign giving the full list's page.
    """
    if kind in KINDS:
        raise ValueError(f"queue kind {kind!r} is registered twice")
    if role not in ROLE_ORDER:
        raise ValueError(f"queue kind {kind!r}: unknown role {role!r}")
    KINDS[kind] = Kind(kind, label, role, provider, applies, more_url)


def kinds():
    """The registered kinds, in the order they were registered."""
    return list(KINDS)


def _more(kind, campaign):
    if kind.more_url is None:
        return None
    if callable(kind.more_url):
        return kind.more_url(campaign)
    from django.urls import reverse

    return reverse(kind.more_url)


def queue_for(user, campaign, today=None, limit=LIMIT):
    """The kinds of work waiting for ``user`` in ``campaign``, by role, then as registered.

    Only the kinds that apply to the user are asked; a kind with nothing waiting is left
    out. Each kind carries its count and its first ``limit`` items, soonest due first.
    """
    if campaign is None:
        return []
    today = today or timezone.localdate()
    rows = []
    for kind in sorted(KINDS.values(), key=lambda k: ROLE_ORDER.index(k.role)):
        if not kind.applies(user):
            continue
        section = kind.provider(campaign, user, today, limit)
        if not section.count:
            continue
        rows.append(
            QueueRow(
                kind=kind.kind,
                label=str(kind.label),
                role=kind.role,
                count=section.count,
                late_count=section.late,
                items=list(section.items)[:limit],
                more_url=_more(kind, campaign),
                more=section.more,
            )
        )
    return rows


def first_due(items, limit):
    """A ``Section`` of ``items`` (QueueItem, worked out in full): all counted, the late
    ones counted, the first ``limit`` kept, soonest due first (undated last)."""
    far = datetime.date.max
    kept = sorted(items, key=lambda item: (item.due or far, item.label))[:limit]
    return Section(len(items), kept, sum(1 for item in items if item.late))


def total(rows):
    """How many things wait in all (at least, when a row's ``more``)."""
    return sum(row.count for row in rows)


def shown_total(rows):
    """The total as a person reads it: ``2000+`` when some row counted no further."""
    count = total(rows)
    return "{}+".format(count) if any(row.more for row in rows) else count
