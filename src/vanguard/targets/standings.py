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
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

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


def register_measures(prefix, provider):
    """A domain counts the targets whose measure starts with ``prefix`` (e.g. "projects.")."""
    if prefix in PROVIDERS:
        raise ValueError(f"measures {prefix!r} are registered twice")
    PROVIDERS[prefix] = provider


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
        found.update(PROVIDERS[prefix](campaign, members, user, today))
    return {target.pk: found.get(target.pk, NO_FIGURE) for target in targets}


def behind(expected, actual):
    """How far ``actual`` is short of ``expected`` (0 when on pace or ahead; None unknown)."""
    if expected is None or actual is None:
        return None
    return max(Decimal(0), Decimal(expected) - Decimal(actual))
