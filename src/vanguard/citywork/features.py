"""GeoJSON features of the weekly work, for the one map (一张网一张图).

Each function returns a FeatureCollection (RFC 7946, WGS84) of what ``user`` may see in
a campaign, optionally only what lies in a bounding box (west, south, east, north),
with each feature's light and the path of its page. The map's layer registry registers
them; until it exists, the API serves them under ``/api/v1/city-layers/``.
"""

from django.urls import reverse

from vanguard.citywork.choices import PlaceKind
from vanguard.citywork.lights import PLACE, RENEWAL
from vanguard.citywork.queries.scope import places_for, renewal_for
from vanguard.supervision.lights import annotate_light

# A layer at city scale: the first this many features in the view, the rest said so.
LIMIT = 5000


def _in_view(queryset, bbox):
    if not bbox:
        return queryset
    west, south, east, north = bbox
    return queryset.filter(
        max_lon__gte=west, min_lon__lte=east, max_lat__gte=south, min_lat__lte=north
    )


def _collection(rows, url_name, properties):
    features = []
    for row in rows[:LIMIT]:
        features.append(
            {
                "type": "Feature",
                "id": row["code"],
                "geometry": row["geometry"],
                "properties": {
                    "code": row["code"],
                    "name": row["name"],
                    "light": row["light"] or "grey",
                    "url": reverse(url_name, args=[row["code"]]),
                    **{key: row[key] for key in properties},
                },
            }
        )
    return {"type": "FeatureCollection", "features": features, "truncated": len(rows) > LIMIT}


def renewal_features(user, campaign, bbox=None):
    """Renewal projects as points or polygons, with kind, stage, progress and light."""
    rows = list(
        _in_view(annotate_light(renewal_for(user, campaign), RENEWAL, campaign=campaign), bbox)
        .order_by("code")
        .values(
            "code", "name", "geometry", "light", "stage", "progress_percent", "lead_unit__name"
        )[: LIMIT + 1]
    )
    for row in rows:
        row["unit"] = row.pop("lead_unit__name")
    return _collection(rows, "citywork:renewal_detail", ("stage", "progress_percent", "unit"))


def place_features(user, campaign, kind, bbox=None):
    """Demonstration zones (polygons) or model roads (lines), with state and light."""
    places = places_for(user, campaign).filter(kind=kind)
    rows = list(
        _in_view(annotate_light(places, PLACE, campaign=campaign), bbox)
        .order_by("code")
        .values("code", "name", "geometry", "light", "state", "lead_unit__name")[: LIMIT + 1]
    )
    for row in rows:
        row["unit"] = row.pop("lead_unit__name")
    return _collection(rows, "citywork:place_detail", ("state", "unit"))


def zone_features(user, campaign, bbox=None):
    return place_features(user, campaign, PlaceKind.ZONE, bbox)


def road_features(user, campaign, bbox=None):
    return place_features(user, campaign, PlaceKind.ROAD, bbox)
