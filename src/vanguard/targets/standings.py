"""Where each target stands: its actual figure to date beside its checkpoint, from the domains.

A target's ``measure`` names what counts toward it (``projects.started``,
``indicators.gdp.growth``, ``citywork.zones``). The domain that owns the facts registers,
in its ``AppConfig.ready()``, a provider for the measures it counts:
``register_measures(prefix, provider)``. A provider is called as
``provider(campaign, targets, user, today)`` with the targets whose measure starts with
its prefix, and returns ``{target.pk: Standing}`` from the facts ``user`` may see,
set-based (a fixed number of queries however many targets). Only certified or
published facts count; the light comes from the one light engine's rules.

The cockpit, the display board and the API read standings through ``standings_of``;
this module imports no domain. A target no provider speaks for stands grey, "no figure".

A provider whose facts change seldom (published figures, verified weekly work) registers
a ``version(campaign)`` too: a key that moves whenever anything its standings read
changes (``audit.log.newest_changes`` over its models, and the lights' last recompute).
Its standings are then kept in the cache under that key, the reader's scope, the day,
the language and the targets as read, and made again only when one of them moves.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.utils.translation import get_language

from vanguard.org.access import scope_key

# An upper bound only: the key moves with every change the standings read.
KEPT_SECONDS = 24 * 3600

# The lights a standing may have: the values of ``supervision.choices.Light``.
GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"


@dataclass(frozen=True)
class Standing:
    """A target's actual to date, today's checkpoint, the gap, the light and the as-of time.

    ``gap`` is how far behind the checkpoint the actual is, in the target's unit (0 when
    on pace or ahead); for a growth target, percentage points below the target.
    ``trend`` holds the actual at the last few period ends, oldest first, for a small line.
    ``source`` says what the figure counts; ``url`` leads to the records behind it.
    """

    actual: Decimal | None
    expected: Decimal | None
    gap: Decimal | None
    light: str
    as_of: datetime.datetime | datetime.date | None
    source: str
    url: str = ""
    trend: tuple = field(default=())
    actual_display: str = ""

    @property
    def has_figure(self):
        return self.actual is not None


NO_FIGURE = Standing(None, None, None, GREY, None, "")

# measure prefix -> provider, in the order registered.
PROVIDERS = {}
# measure prefix -> the provider's ``version(campaign)``, for those that have one.
VERSIONS = {}


def register_measures(prefix, provider, *, version=None):
    """A domain counts the targets whose measure starts with ``prefix`` (e.g. "projects.");
    ``version(campaign)``, when given, keys its kept standings (see above)."""
    if prefix in PROVIDERS:
        raise ValueError(f"measures {prefix!r} are registered twice")
    PROVIDERS[prefix] = provider
    if version is not None:
        VERSIONS[prefix] = version


def provider_of(measure):
    """The registered prefix that speaks for ``measure`` (the longest that matches), or None."""
    found = [prefix for prefix in PROVIDERS if measure.startswith(prefix)]
    return max(found, key=len) if found else None


def standings_of(campaign, targets, user, today):
    """``{target.pk: Standing}`` for ``targets`` of ``campaign``, as ``user`` may see them.

    ``targets`` are every target of the campaign ``user`` may see, read with their
    checkpoints: a provider judges its own among them without reading targets again,
    and a group target (the main indicators) is judged beside its members' own targets.
    """
    groups = {}
    for target in targets:
        prefix = provider_of(target.measure)
        if prefix is not None:
            groups.setdefault(prefix, []).append(target)
    found = {}
    for prefix, members in groups.items():
        found.update(_standings(prefix, campaign, members, user, today))
    return {target.pk: found.get(target.pk, NO_FIGURE) for target in targets}


def _standings(prefix, campaign, targets, user, today):
    provider = PROVIDERS[prefix]
    version = VERSIONS.get(prefix)
    if version is None:
        return provider(campaign, targets, user, today)
    # The version is read first: a change committed while the standings are made then
    # leaves them newer than their key, never older.
    key = repr((version(campaign), _as_read(targets), scope_key(user), get_language(), today))
    key = "standings.{}.{}.{}".format(
        prefix, campaign.pk, hashlib.sha256(key.encode()).hexdigest()[:32]
    )
    return cache.get_or_set(key, lambda: provider(campaign, targets, user, today), KEPT_SECONDS)


def _as_read(targets):
    """What the providers read of ``targets``: their fields and their checkpoints."""
    return [
        (
            t.pk,
            t.measure,
            t.kind,
            t.name,
            t.value,
            t.unit_of_measure,
            t.comparators,
            t.period_start,
            t.period_end,
            [(c.period_kind, c.period, c.end_date, c.value) for c in t.checkpoints.all()],
        )
        for t in targets
    ]


def behind(expected, actual):
    """How far ``actual`` is short of ``expected`` (0 when on pace or ahead; None unknown)."""
    if expected is None or actual is None:
        return None
    return max(Decimal(0), Decimal(expected) - Decimal(actual))
