"""The cockpit (驾驶舱): where every target stands, who lags, and what changed this week.

Set-based: the standings come from the domains' providers (``targets.standings``), the
ranking and the week's changes from the one light engine's stored lights and events, a
fixed number of queries however many targets, units and projects a campaign has.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from vanguard.board.queries import overview
from vanguard.org.access import SYSTEM, restrict, scope_key
from vanguard.org.choices import Role
from vanguard.org.models import RoleAssignment, Unit
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import last_recompute
from vanguard.supervision.models import LightEvent, LightState, SupervisionOrder, Talk
from vanguard.supervision.orders.subjects import SUBJECTS
from vanguard.targets.standings import standings_of

# How many lagging units each battle's ranking shows.
RANKED = 10
# How long a cached ranking is kept (a recompute makes a new key before then).
RANKING_SECONDS = 24 * 3600
# What "since last week" means.
WEEK = datetime.timedelta(days=7)


def sparkline(values, width=100, height=24):
    """The ``points`` of an SVG polyline drawing ``values`` in a ``width`` × ``height`` box."""
    values = [v for v in values if v is not None]
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = width / (len(values) - 1)
    return " ".join(
        "{:.1f},{:.1f}".format(i * step, height - 2 - (v - low) / span * (height - 4))
        for i, v in enumerate(values)
    )


# Kinds a unit is not ranked on: a unit's own light rolls its projects up, and a key node
# is part of its project (a city has hundreds of thousands), so each would count twice.
NOT_RANKED = {"unit", "milestone"}


def battle_kinds():
    """Light kinds judged per battle: the things a unit answers for, parts left out."""
    kinds = {}
    for kind, subject in SUBJECTS.items():
        if subject.battle and kind not in NOT_RANKED:
            kinds.setdefault(subject.battle, []).append(kind)
    return kinds


@dataclass
class RankedUnit:
    unit: Unit
    red: int
    yellow: int


def unit_ranking(campaign, user, recomputed=None):
    """Per battle, the units with the most red, then yellow lights: one grouped query.

    Lights change only when they are recomputed, so the ranking is cached under the last
    recompute's time (``recomputed``) and the reader's battles: a city's cockpit reads it
    once per recompute, not once per visit.
    """
    if recomputed is None:
        return _unit_ranking(campaign, user)
    key = "cockpit.ranking.{}.{}.{}".format(
        campaign.pk, recomputed.latest.timestamp(), scope_key(user)
    )
    found = cache.get(key)
    if found is None:
        found = {
            battle: [(r.unit.pk, r.red, r.yellow) for r in rows]
            for battle, rows in _unit_ranking(campaign, user).items()
        }
        cache.set(key, found, RANKING_SECONDS)
    units = Unit.objects.in_bulk({pk for rows in found.values() for pk, _r, _y in rows})
    return {
        battle: [RankedUnit(units[pk], red, yellow) for pk, red, yellow in rows if pk in units]
        for battle, rows in found.items()
    }


def _unit_ranking(campaign, user):
    kinds = battle_kinds()
    battle_of = {kind: battle for battle, members in kinds.items() for kind in members}
    # Only red and yellow lights are read: a city's green ones are the great majority,
    # and the ranking is by red, then yellow (the (campaign, kind, light) index).
    rows = (
        restrict(
            LightState.objects.filter(
                campaign=campaign, kind__in=list(battle_of), light__in=[Light.RED, Light.YELLOW]
            ),
            user,
        )
        .filter(unit__isnull=False)
        .values_list("kind", "unit_id")
        .annotate(
            red=Count("pk", filter=Q(light=Light.RED)),
            yellow=Count("pk", filter=Q(light=Light.YELLOW)),
        )
        .order_by()
    )
    tallies = {}
    for kind, unit_id, red, yellow in rows:
        tally = tallies.setdefault(battle_of[kind], {}).setdefault(unit_id, [0, 0])
        tally[0] += red
        tally[1] += yellow
    units = Unit.objects.in_bulk({u for per in tallies.values() for u in per})
    ranking = {}
    for battle, per_unit in tallies.items():
        ranked = sorted(
            (RankedUnit(units[u], *t) for u, t in per_unit.items() if u in units),
            key=lambda r: (-r.red, -r.yellow, r.unit.name),
        )
        ranking[battle] = ranked[:RANKED]
    return ranking


def week_changes(campaign, user, today, recomputed=None):
    """Since a week ago: lights that turned red or green, orders issued and talks held.

    Light events are written only by recomputes: their counts are cached under the last
    one's time (``recomputed``), as the ranking is. A province's first recompute writes
    eight million events in one day, which take a second and more to count.
    """
    since = today - WEEK

    def turned():
        events = restrict(
            LightEvent.objects.filter(
                campaign=campaign,
                as_of__gt=since,
                kind__in=["project", "indicator", "unit", "listitem"],
            ),
            user,
        )
        return events.aggregate(
            red=Count("pk", filter=Q(to_light=Light.RED) & ~Q(from_light=Light.RED)),
            green=Count(
                "pk",
                filter=Q(to_light=Light.GREEN) & ~Q(from_light=Light.GREEN) & ~Q(from_light=""),
            ),
        )

    if recomputed is None:
        turned = turned()
    else:
        key = "cockpit.turned.{}.{}.{}.{}".format(
            campaign.pk, recomputed.latest.timestamp(), since.isoformat(), scope_key(user)
        )
        turned = cache.get_or_set(key, turned, RANKING_SECONDS)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.max))
    orders = restrict(SupervisionOrder.objects.filter(campaign=campaign, issued_at__gt=start), user)
    talks = restrict(Talk.objects.filter(campaign=campaign, held_on__gt=since), user)
    return {
        "since": since,
        "turned_red": turned["red"],
        "turned_green": turned["green"],
        "orders_issued": orders.count(),
        "talks_held": talks.count(),
    }


def cockpit(campaign, user, today):
    """The overview's battles with each target's standing, the ranking and the week's changes."""
    context = overview(campaign, user, today)
    targets = [t for battle in context["battles"] for t in battle["targets"]]
    standings = standings_of(campaign, targets, user, today) if campaign else {}
    for target in targets:
        target.standing = standings.get(target.pk)
        target.trend_points = sparkline(target.standing.trend) if target.standing else ""
    recomputed = last_recompute(campaign) if campaign else None
    ranking = unit_ranking(campaign, user, recomputed) if campaign else {}
    for battle in context["battles"]:
        battle["lagging_units"] = ranking.get(battle["code"], [])
        battle["lights"] = _light_counts(battle["targets"])
    context["lights_at"] = recomputed.at if recomputed else None
    context["changes"] = week_changes(campaign, user, today, recomputed) if campaign else None
    return context


# At most this many task-force scopes are made ahead by the job; the others' members
# make their own on their first visit.
KEPT_SCOPES = 50


def make_kept_figures(campaign):
    """Make what the overview keeps (the ranking, the week's changes, the projects' counts
    per day) for readers of every unit, and for each scope of the campaign's task-force
    members (their battles and the units they report for), as the first of each would."""
    today = timezone.localdate()
    cockpit(campaign, SYSTEM, today)
    for user in task_force_readers(campaign)[:KEPT_SCOPES]:
        cockpit(campaign, user, today)


def task_force_readers(campaign):
    """One active account for each scope (``org.access.scope_key``) among the campaign's
    task-force members, other than every unit's: whose overview reads its own keys."""
    members = (
        RoleAssignment.objects.filter(
            role=Role.TASK_FORCE_MEMBER,
            task_force__campaign=campaign,
            person__user__is_active=True,
        )
        .select_related("person__user")
        .order_by("person__user_id")
    )
    found = {}
    for assignment in members:
        user = assignment.person.user
        key = scope_key(user)
        if key != "all":
            found.setdefault(key, user)
    return list(found.values())


def _light_counts(targets):
    counts = dict.fromkeys([Light.RED, Light.YELLOW, Light.GREEN, Light.GREY], 0)
    for target in targets:
        light = target.standing.light if target.standing else Light.GREY
        counts[light] = counts.get(light, 0) + 1
    return counts
