"""What the display board shows: campaign-wide figures only, each with its as-of and source.

The board is read by a hall screen with a kiosk link, so it carries no personal data: no
person's name, telephone or account, only targets, units, projects and counts. It reads
through the same standings, ranking and progress queries as the cockpit, as the platform
(SYSTEM) reads them, so a kiosk sees what the office sees of the campaign.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.board.cockpit import cockpit
from vanguard.org.access import SYSTEM
from vanguard.projects.lights import SubjectKind
from vanguard.projects.models import Project
from vanguard.projects.progress import certified_as_of, progress_chart
from vanguard.supervision.models import LightState

# The most project points the map page draws (the worst lights first).
MAP_POINTS = 3000


def _number(value):
    return None if value is None else float(value)


def _when(value):
    if value is None:
        return None
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _target(target):
    standing = target.standing
    return {
        "code": target.code,
        "name": target.name,
        "period": str(target.period_display),
        "value": target.value_display if target.kind != "relative" else "",
        "unit": target.unit_of_measure,
        "actual": standing.actual_display if standing and standing.has_figure else None,
        "checkpoint": target.expected_display or None,
        "gap": _number(standing.gap) if standing else None,
        "light": standing.light if standing else "grey",
        "trend": [float(v) for v in standing.trend] if standing else [],
        "as_of": _when(standing.as_of) if standing else None,
        "source": standing.source if standing else "",
    }


def _map(campaign):
    """Project points by light, the worst first: one query per light, each a join in SQL."""
    points = []
    placed = Project.objects.filter(
        campaign=campaign, latitude__isnull=False, longitude__isnull=False
    )
    for light in ("red", "yellow", "grey", "green"):
        room = MAP_POINTS - len(points)
        if room <= 0:
            break
        judged = LightState.objects.filter(
            campaign=campaign, kind=SubjectKind.PROJECT, light=light
        ).values("object_id")
        points += [
            [float(lng), float(lat), light]
            for lng, lat in placed.filter(pk__in=judged)
            .order_by("pk")
            .values_list("longitude", "latitude")[:room]
        ]
    return {"points": points}


def screen_data(campaign, today=None):
    """Every page of the board, in the order they rotate."""
    today = today or timezone.localdate()
    figures = cockpit(campaign, SYSTEM, today)
    lights_at = _when(figures["lights_at"])
    pages = [
        {
            "id": "overview",
            "title": _("Overview"),
            "battles": [
                {
                    "code": battle["code"],
                    "label": str(battle["label"]),
                    "lights": {str(k): v for k, v in battle["lights"].items()},
                    "targets": [_target(t) for t in battle["targets"]],
                }
                for battle in figures["battles"]
            ],
            "changes": {
                key: (value.isoformat() if hasattr(value, "isoformat") else value)
                for key, value in figures["changes"].items()
            },
        }
    ]
    for battle in figures["battles"]:
        pages.append(
            {
                "id": "battle-" + battle["code"],
                "title": str(battle["label"]),
                "targets": [_target(t) for t in battle["targets"]],
            }
        )
    chart = progress_chart(campaign, SYSTEM, today)
    pages.append(
        {
            "id": "charts",
            "title": _("Progress charts"),
            "chart": chart,
            "as_of": _when(certified_as_of(campaign, SYSTEM)),
            "source": _("certified introductions and starts of major projects"),
        }
    )
    pages.append(
        {
            "id": "ranking",
            "title": _("Units lagging most"),
            "battles": [
                {
                    "label": str(battle["label"]),
                    "units": [
                        {"name": r.unit.name, "red": r.red, "yellow": r.yellow}
                        for r in battle["lagging_units"]
                    ],
                }
                for battle in figures["battles"]
            ],
            "as_of": lights_at,
            "source": _("the status lights of each unit's projects, indicators and list items"),
        }
    )
    pages.append(
        {
            "id": "map",
            "title": _("One map"),
            "map": _map(campaign),
            "as_of": lights_at,
            "source": _("major projects by their light"),
        }
    )
    return {
        "campaign": campaign.name,
        "today": today.isoformat(),
        "generated_at": _when(timezone.now()),
        "lights_at": lights_at,
        "pages": pages,
    }
