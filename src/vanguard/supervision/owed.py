"""One unit, one list (一单位一清单): everything a unit owes, gathered from the domains.

A domain registers, in its ``AppConfig.ready()``, a provider for each kind of thing a
unit owes: ``register_owed(kind, provider)``. A provider is called as
``provider(campaign, unit, user)`` (and with ``today=`` when the list is wanted as of
another day: the reminders of ``vanguard remind --on DATE``) and returns the unit's rows
(``Owed``) that ``user`` may see, set-based: a fixed number of queries however many rows. The unit's page and
the API read the list through ``unit_owed``, which never imports a domain: projects
register the major projects a unit leads, indicators those it answers for.
"""

import contextlib
import contextvars
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
# kind -> for_units(campaign, units, user, today=) -> {unit id: [Owed]}: the same rows for
# many units at once, in as many queries as for one (the reminders read every unit).
FOR_UNITS = {}


def register_owed(kind, provider, *, for_units=None):
    """Add what a domain says units owe; a kind is registered once. ``for_units``, when
    given, answers for many units at once (else ``provider`` is asked unit by unit)."""
    if kind in PROVIDERS:
        raise ValueError(f"owed kind {kind!r} is registered twice")
    PROVIDERS[kind] = provider
    if for_units is not None:
        FOR_UNITS[kind] = for_units


def providers():
    """The registered kinds, in the order they were registered."""
    return list(PROVIDERS)


# Facts that are the same for every unit of a campaign on a day (the calendar, due dates,
# policies), kept while ``one_scan()`` is open so a scan of every unit reads them once.
_SCAN = contextvars.ContextVar("owed_scan", default=None)


@contextlib.contextmanager
def one_scan():
    """Within the block, ``shared(key, compute)`` computes each key once (the reminders'
    scan of every unit); outside it, every call computes afresh."""
    token = _SCAN.set({})
    try:
        yield
    finally:
        _SCAN.reset(token)


def shared(key, compute):
    """``compute()``, or its value from earlier in the same ``one_scan()`` block."""
    memo = _SCAN.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def unit_owed(campaign, unit, user, today=None):
    """Everything ``unit`` owes in ``campaign`` that ``user`` may see: red first, then due.

    A user who may not see the unit (a reporter of another unit, the inspector) gets
    nothing, whatever the providers would say. ``today`` (default: today) is the day
    the due dates are read for.
    """
    if (
        user is not access.SYSTEM
        and not access.restrict(Unit.objects.filter(pk=unit.pk), user).exists()
    ):
        return []
    when = {"today": today} if today is not None else {}
    rows = [
        row for provider in PROVIDERS.values() for row in provider(campaign, unit, user, **when)
    ]
    far = datetime.date.max
    return sorted(rows, key=lambda row: (row.rank, row.due or far, row.kind, row.label))


def units_owed(campaign, units, user, today=None):
    """``{unit id: rows}``: ``unit_owed`` for many units, each kind asked once for all of
    them where it can be (``for_units``). Units ``user`` may not see get nothing."""
    units = list(units)
    if user is not access.SYSTEM:
        seen = set(
            access.restrict(Unit.objects.filter(pk__in=[u.pk for u in units]), user).values_list(
                "pk", flat=True
            )
        )
        units = [u for u in units if u.pk in seen]
    when = {"today": today} if today is not None else {}
    found = {unit.pk: [] for unit in units}
    for kind, provider in PROVIDERS.items():
        many = FOR_UNITS.get(kind)
        if many is not None:
            for unit_id, rows in many(campaign, units, user, **when).items():
                found[unit_id].extend(rows)
        else:
            for unit in units:
                found[unit.pk].extend(provider(campaign, unit, user, **when))
    far = datetime.date.max
    return {
        unit_id: sorted(rows, key=lambda row: (row.rank, row.due or far, row.kind, row.label))
        for unit_id, rows in found.items()
    }


def by_battle(rows):
    """``[(battle, rows)]`` keeping each battle's rows in the list's order."""
    groups = {}
    for row in rows:
        groups.setdefault(row.battle, []).append(row)
    return list(groups.items())
