"""The facts a monthly bulletin scores units on, gathered from whoever provides them.

The supervision app imports no domain, so each domain registers, in its
``AppConfig.ready()``, a provider: ``register_facts(name, fn, facts={...}, link=...)``.
``fn(campaign, start, end, cutoff)`` returns ``{unit_id: {fact: number}}`` set-based (a
fixed number of queries for any number of units): what happened in the window
``start``–``end`` (dates, inclusive) as recorded by ``cutoff`` (an aware datetime), so
the same call later gives the same numbers. ``facts`` names and labels the facts the
provider gives; ``link(campaign, unit_code, start, end)`` is the page of the records
behind them.

Facts that providers still to come will give may be declared here, so a scoring rule may
name them before; a fact nobody provides counts 0.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanguard.core.counting import counted_by
from vanguard.supervision.choices import Light
from vanguard.supervision.kinds import KINDS


@dataclass(frozen=True)
class FactSource:
    """One registered provider: its name, the facts it gives and the page of its records."""

    name: str
    fn: Callable
    facts: dict
    link: Callable | None = None
    # The battle whose section of the narrative reports these facts; "" for none.
    battle: str = ""


# name -> FactSource, in the order registered.
SOURCES: dict[str, FactSource] = {}

# Facts a rule may name before their provider exists: fact -> label. The orders and
# talks once stood here; they now register their providers (supervision/apps.py).
DECLARED = {}


def register_facts(name, fn, *, facts=None, link=None, battle=""):
    """Add a provider of facts; a name is registered once."""
    if name in SOURCES:
        raise ValueError("fact source {!r} is registered twice".format(name))
    facts = dict(facts or {})
    taken = {fact: source.name for source in SOURCES.values() for fact in source.facts}
    twice = sorted(set(facts) & set(taken))
    if twice:
        raise ValueError("facts {} are already provided".format(", ".join(twice)))
    SOURCES[name] = FactSource(name, fn, facts, link, str(battle))


def known_facts():
    """``{fact: label}`` of every fact a rule may name: provided or declared."""
    known = dict(DECLARED)
    for source in SOURCES.values():
        known.update(source.facts)
    return known


def source_of(fact):
    """The ``FactSource`` that provides ``fact``, or None."""
    for source in SOURCES.values():
        if fact in source.facts:
            return source
    return None


def collect(campaign, start, end, cutoff):
    """``{unit_id: {fact: number}}`` from every provider; missing facts are not filled in."""
    merged = {}
    for source in SOURCES.values():
        for unit_id, values in source.fn(campaign, start, end, cutoff).items():
            merged.setdefault(unit_id, {}).update(values)
    return merged


# --- the lights: the one fact source the engine itself provides ------------------------------


def counted_kinds():
    """The kinds whose lights count as a unit's subjects: every kind but the roll-ups and
    those left out of the bulletin (``LightRules.in_bulletin``).

    A roll-up (the unit's own light, from its projects) would count its parts twice.
    """
    return [kind for kind, rules in KINDS.items() if not rules.reads and rules.in_bulletin]


def lights_facts(campaign, start, end, cutoff):
    """Each unit's subjects by light at the end of the window, as recorded by ``cutoff``.

    A subject's light is its last change judged on or before ``end`` and recorded on or
    before ``cutoff`` (``LightEvent``): the same whenever it is asked again.
    """
    from vanguard.supervision.models import LightEvent

    last = (
        LightEvent.objects.filter(
            campaign=campaign, kind__in=counted_kinds(), as_of__lte=end, at__lte=cutoff
        )
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("kind"), F("object_id")],
                order_by=[F("as_of").desc(), F("pk").desc()],
            )
        )
        .filter(newest=1, unit__isnull=False)
        .values(counted_unit=F("unit_id"), counted_light=F("to_light"))
    )
    facts = {}
    # Counted in the database: a city's campaign has about 800,000 subjects.
    for (unit_id, light), n in counted_by(last, ["counted_unit", "counted_light"]).items():
        unit = facts.setdefault(
            unit_id,
            {"lights_judged": 0, "lights_green": 0, "lights_yellow": 0, "lights_red": 0},
        )
        if light != Light.GREY:
            unit["lights_judged"] += n
            unit["lights_" + light] += n
    return facts


def lights_link(campaign, unit_code, start, end):
    """A unit's page: its list, each item with its light."""
    return reverse("org:unit_detail", args=[unit_code])


LIGHTS_FACTS = {
    "lights_judged": _("subjects with a light"),
    "lights_green": _("subjects green"),
    "lights_yellow": _("subjects yellow"),
    "lights_red": _("subjects red"),
}


def register_lights_facts():
    """The engine's own facts, registered when the supervision app is ready."""
    register_facts("lights", lights_facts, facts=LIGHTS_FACTS, link=lights_link)
