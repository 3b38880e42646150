"""One unit, one list (一单位一清单): everything a unit owes, gathered from the domains.

A domain registers, in its ``AppConfig.ready()``, a provider for each kind of thing a
unit owes: ``register_owed(kind, provider)``. A provider is called as
``provider(campaign, unit, user)`` (and with ``today=`` when the list is wanted as of
another day: the reminders of ``vanguard remind --on DATE``) and returns the unit's rows
(``Owed``) that ``user`` may see, set-based: a fixed number of queries however many rows. The unit's page and
the API read the list through ``unit_owed``, which never imports a domain: projects
register the major projects a unit leads, indicators those it answers for.
"""

import datetime
from dataclasses import dataclass

from vanguard.org import access
from vanguard.org.models import Unit
from vanguard.supervision.choices import Light

# The order of a unit's list: red first, then yellow, green and not judged.
WORST_FIRST = [Light.RED, Light.YELLOW, Light.GREEN, Light.GREY]


@dataclass(frozen=True)
class Owed:
    """One thing a unit owes: what, where to see it, its light and why, when it falls due."""

    kind: str
    label: str
    url: str
    light: str | None
    reason: str
    due: datetime.date | None
    battle: str
    # The accounts of the people named as answerable for the row (a list item's
    # responsible person), told of its due date besides the unit's reporters.
    responsible_user_ids: tuple = ()

    @property
    def rank(self):
        return WORST_FIRST.index(self.light) if self.light in WORST_FIRST else len(WORST_FIRST)


# kind -> provider(campaign, unit, user) -> iterable of Owed, in the order registered.
PROVIDERS = {}


def register_owed(kind, provider):
    """Add what a domain says units owe; a kind is registered once."""
    if kind in PROVIDERS:
        raise ValueError(f"owed kind {kind!r} is registered twice")
    PROVIDERS[kind] = provider


def providers():
    """The registered kinds, in the order they were registered."""
    return list(PROVIDERS)


def unit_owed(campaign, unit, user, today=None):
    """Everything ``unit`` owes in ``campaign`` that ``user`` may see: red first, then due.

    A user who may not see the unit (a reporter of another unit, the inspector) gets
    nothing, whatever the providers would say. ``today`` (default: today) is the day
    the due dates are read for.
    """
    if not access.restrict(Unit.objects.filter(pk=unit.pk), user).exists():
        return []
    when = {"today": today} if today is not None else {}
    rows = [
        row for provider in PROVIDERS.values() for row in provider(campaign, unit, user, **when)
    ]
    far = datetime.date.max
    return sorted(rows, key=lambda row: (row.rank, row.due or far, row.kind, row.label))


def by_battle(rows):
    """``[(battle, rows)]`` keeping each battle's rows in the list's order."""
    groups = {}
    for row in rows:
        groups.setdefault(row.battle, []).append(row)
    return list(groups.items())
