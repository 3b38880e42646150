"""API: the cockpit's figures (every target's standing by battle, the units lagging most,
the week's changes) for readers of every unit."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from vanguard.board.cockpit import cockpit
from vanguard.org.access import SCOPE_ALL, data_scope
from vanguard.org.queries import current_campaign

router = Router(tags=["cockpit"])


class StandingOut(Schema):
    code: str
    name: str
    period: str
    unit_of_measure: str
    value: float | None
    actual: float | None
    checkpoint: float | None
    gap: float | None
    light: str
    trend: list[float]
    as_of: datetime.datetime | datetime.date | None
    source: str


class LaggingOut(Schema):
    unit: str
    unit_code: str
    red: int
    yellow: int


class BattleOut(Schema):
    code: str
    label: str
    lights: dict[str, int]
    targets: list[StandingOut]
    lagging_units: list[LaggingOut]


class ChangesOut(Schema):
    since: datetime.date
    turned_red: int
    turned_green: int
    orders_issued: int
    talks_held: int


class CockpitOut(Schema):
    campaign: str
    today: datetime.date
    lights_at: datetime.datetime | None
    battles: list[BattleOut]
    changes: ChangesOut | None


def _number(value):
    return None if value is None else float(value)


@router.get("/cockpit", response=CockpitOut)
def get_cockpit(request, campaign: str | None = None):
    """Where every target stands today (actual, checkpoint, gap, light, trend, as-of time and
    what the actual counts), the units lagging most per battle and the week's changes."""
    if data_scope(request.user) != SCOPE_ALL:
        raise PermissionDenied(_("The cockpit's figures are for readers of every unit."))
    chosen = current_campaign(campaign)
    today = timezone.localdate()
    figures = cockpit(chosen, request.user, today)
    battles = []
    for battle in figures["battles"]:
        targets = []
        for target in battle["targets"]:
            standing = target.standing
            targets.append(
                {
                    "code": target.code,
                    "name": target.name,
                    "period": target.period,
                    "unit_of_measure": target.unit_of_measure,
                    "value": _number(target.value),
                    "actual": _number(standing.actual),
                    "checkpoint": _number(standing.expected),
                    "gap": _number(standing.gap),
                    "light": standing.light,
                    "trend": [float(v) for v in standing.trend],
                    "as_of": standing.as_of,
                    "source": standing.source,
                }
            )
        battles.append(
            {
                "code": battle["code"],
                "label": str(battle["label"]),
                "lights": {str(k): v for k, v in battle["lights"].items()},
                "targets": targets,
                "lagging_units": [
                    {
                        "unit": r.unit.name,
                        "unit_code": r.unit.code,
                        "red": r.red,
                        "yellow": r.yellow,
                    }
                    for r in battle["lagging_units"]
                ],
            }
        )
    return {
        "campaign": chosen.code,
        "today": today,
        "lights_at": figures["lights_at"],
        "battles": battles,
        "changes": figures["changes"],
    }
