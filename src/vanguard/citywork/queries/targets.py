"""Counting verified facts against the third battle's targets (城市更新管理重要工作).

The plan's targets name what they count by their measure:

- ``citywork.renewal.started``: renewal projects whose verified start falls in the
  target's period up to the day judged;
- ``citywork.renewal.implemented``: renewal projects under way in the period (推进实施):
  started (verified) by the day judged and not completed before the period began;
- ``citywork.campaigns``: city-management campaigns with verified progress in a week of
  the period;
- ``citywork.zones`` / ``citywork.roads``: demonstration zones / model roads accepted in
  the period.

A fact counts on the day it happened as verified (the start or the completion the
task force verified, the day of acceptance), not the day it was verified: the last
week of a quarter is verified after the quarter ends and still counts in it. Each
target is one aggregate; a target's light is its pace against its checkpoints
(``supervision.lights.pace_light``), for a view of every unit only.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from vanguard.citywork.choices import PlaceKind, PlaceState
from vanguard.citywork.queries.scope import campaigns_for, places_for, renewal_for
from vanguard.org.choices import Battle
from vanguard.supervision.lights import pace_light, policy_for
from vanguard.targets.models import Target
from vanguard.targets.pace import expected_at

RENEWAL_STARTED = "citywork.renewal.started"
RENEWAL_IMPLEMENTED = "citywork.renewal.implemented"
CAMPAIGNS = "citywork.campaigns"
ZONES = "citywork.zones"
ROADS = "citywork.roads"
MEASURES = (RENEWAL_IMPLEMENTED, RENEWAL_STARTED, CAMPAIGNS, ZONES, ROADS)


@dataclass
class TargetProgress:
    """A target's verified count to date beside where it should stand."""

    target: Target
    actual: int
    expected: Decimal | None
    light: str | None = None
    points_behind: float | None = None
    closed: bool = False

    @property
    def gap(self):
        """How many are missing against the checkpoint of the day (0 when on pace)."""
        if self.expected is None:
            return None
        return max(Decimal(0), self.expected - self.actual).quantize(Decimal(1))

    @property
    def percent(self):
        """The count as a percentage of the whole target."""
        if not self.target.value:
            return None
        return round(Decimal(100) * self.actual / self.target.value, 1)


def _renewal_counted(measure, start, on):
    if measure == RENEWAL_STARTED:
        return Q(actual_start__gte=start, actual_start__lte=on)
    return Q(actual_start__lte=on) & (
        Q(actual_completion__isnull=True) | Q(actual_completion__gte=start)
    )


def citywork_targets(campaign):
    return list(
        Target.objects.filter(campaign=campaign, battle=Battle.CITYWORK, measure__in=MEASURES)
        .prefetch_related("checkpoints")
        .order_by("sort_order", "code")
    )


def counts(campaign, user, on, targets):
    """``{target code: verified count by ``on``}``, over what ``user`` sees."""
    found = {}
    renewal, places = {}, {}
    for t in targets:
        end = min(on, t.period_end)
        if t.measure in (RENEWAL_STARTED, RENEWAL_IMPLEMENTED):
            renewal[t.code] = Count("pk", filter=_renewal_counted(t.measure, t.period_start, end))
        elif t.measure in (ZONES, ROADS):
            kind = PlaceKind.ZONE if t.measure == ZONES else PlaceKind.ROAD
            places[t.code] = Count(
                "pk",
                filter=Q(
                    kind=kind,
                    state=PlaceState.ACCEPTED,
                    accepted_on__gte=t.period_start,
                    accepted_on__lte=end,
                ),
            )
        elif t.measure == CAMPAIGNS:
            found[t.code] = (
                campaigns_for(user, campaign)
                .filter(
                    weeks__verified__gt=0,
                    weeks__period_start__gte=t.period_start,
                    weeks__period_start__lte=end,
                )
                .distinct()
                .count()
            )
    if renewal:
        found.update(renewal_for(user, campaign).aggregate(**renewal))
    if places:
        found.update(places_for(user, campaign).aggregate(**places))
    return found


def target_progress(campaign, user, on, *, judged=True, targets=None):
    """Every counted target of the third battle with its verified count and (``judged``) light.

    ``targets``, when given, are targets already read with their checkpoints (the
    cockpit's): the third battle's counted ones among them are judged, none read again.
    """
    if targets is None:
        targets = citywork_targets(campaign)
    else:
        targets = sorted(
            (t for t in targets if t.battle == Battle.CITYWORK and t.measure in MEASURES),
            key=lambda t: (t.sort_order, t.code),
        )
    found = counts(campaign, user, on, targets)
    policy = policy_for(campaign) if judged else None
    rows = []
    for t in targets:
        row = TargetProgress(t, found.get(t.code) or 0, expected_at(t, on))
        row.closed = on > t.period_end
        if judged:
            row.light, row.points_behind = pace_light(
                row.actual, row.expected, policy, closed=row.closed
            )
        rows.append(row)
    return rows
