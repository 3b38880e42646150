"""The district's shipped boundary and its towns and streets (镇街), and the one check
that every door taking a location calls: is the point in the district?

The boundaries are GeoJSON files in ``data/`` (WGS84), written by
``scripts/district_geojson.py`` as approximations; a deployment replaces them with the
surveyed ones. Because a drawn coastline is approximate, and piers, reclaimed land and
islets lie beyond it, a point outside the outline but within ``NEAR_M`` of it is
accepted and flagged (``Placement.flagged``), while a point farther out is refused with
a message that names it. A point whose latitude and longitude look swapped is told so.
"""

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vanguard.core import geo
from vanguard.core.coords import CoordinateSystem, to_wgs84

DATA = Path(__file__).resolve().parent / "data"
# Outside the drawn outline but this close to it: accepted, and flagged for a look.
NEAR_M = 2000


@functools.cache
def _collection(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def district():
    """The district's feature: its name, code and (Multi)Polygon."""
    return _collection("district.geojson")["features"][0]


def district_name():
    return district()["properties"]["name"]


@functools.cache
def district_bbox():
    return geo.bbox(district()["geometry"])


def streets():
    """The towns and streets (镇街): features with code, name, kind and (Multi)Polygon."""
    return _collection("streets.geojson")["features"]


@functools.cache
def _street_boxes():
    return [(geo.bbox(f["geometry"]), f) for f in streets()]


def street_at(lon, lat):
    """The town or street holding a point, as its feature's properties, or None."""
    for box, feature in _street_boxes():
        inside_box = box[0] <= lon <= box[2] and box[1] <= lat <= box[3]
        if inside_box and geo.contains(feature["geometry"], lon, lat):
            return feature["properties"]
    return None


def nearest_street(lon, lat):
    """The town or street whose boundary is nearest to a point (for a flagged point)."""
    return min(streets(), key=lambda f: geo.distance_to_edge_m(f["geometry"], lon, lat))[
        "properties"
    ]


@dataclass(frozen=True)
class Placement:
    """Where a WGS84 point lies: inside the outline, or just outside it (flagged)."""

    lon: float
    lat: float
    inside: bool
    # Metres outside the outline (0 inside).
    outside_m: float
    # The town or street (镇街) holding the point, or the nearest one when flagged.
    street: str | None
    system: str = CoordinateSystem.WGS84

    @property
    def flagged(self):
        return not self.inside


def inside(lon, lat):
    """Whether a WGS84 point lies inside the district's outline."""
    box = district_bbox()
    return (
        box[0] <= lon <= box[2]
        and box[1] <= lat <= box[3]
        and geo.contains(district()["geometry"], lon, lat)
    )


def place(lon, lat):
    """Where a WGS84 point lies, or None when it is farther than ``NEAR_M`` outside."""
    if inside(lon, lat):
        street = street_at(lon, lat)
        return Placement(lon, lat, True, 0.0, street["name"] if street else None)
    box = district_bbox()
    # Cheap first: a point more than about 2 km outside the bounding box is far.
    margin = NEAR_M / 111_000 * 1.5
    if not (
        box[0] - margin <= lon <= box[2] + margin and box[1] - margin <= lat <= box[3] + margin
    ):
        return None
    distance = geo.distance_to_edge_m(district()["geometry"], lon, lat)
    if distance > NEAR_M:
        return None
    return Placement(lon, lat, False, distance, nearest_street(lon, lat)["name"])


def _number(value):
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def locate(lon, lat, system=CoordinateSystem.WGS84, *, field="location"):
    """Check and convert a location entered at a door: the one function every door calls.

    ``lon`` and ``lat`` are as entered (numbers or text) in ``system`` (WGS84, GCJ-02 from
    WeChat or Gaode, BD-09 from Baidu). Returns the WGS84 ``Placement`` (with the system
    it came in, to be stored beside it), flagged when just outside the outline. Raises
    ValidationError on ``field``, in the user's language, when the numbers are not
    coordinates, the system is unknown, or the point is outside the district.
    """
    x, y = _number(lon), _number(lat)
    if x is None or y is None or not (-180 <= x <= 180 and -180 <= y <= 180):
        raise ValidationError(
            {
                field: _(
                    "Longitude and latitude must be numbers in degrees"
                    " (longitude {lon}, latitude {lat})."
                ).format(lon=lon, lat=lat)
            }
        )
    try:
        system = CoordinateSystem(system or CoordinateSystem.WGS84)
    except ValueError:
        raise ValidationError(
            {
                field: _("Unknown coordinate system {system}: use wgs84, gcj02 or bd09.").format(
                    system=system
                )
            }
        ) from None
    placement = place(*to_wgs84(x, y, system)) if -90 <= y <= 90 else None
    if placement is None:
        if -90 <= x <= 90 and place(*to_wgs84(y, x, system)) is not None:
            message = _(
                "The location (longitude {lon}, latitude {lat}) lies outside {district};"
                " longitude and latitude look swapped."
            )
        else:
            message = _(
                "The location (longitude {lon}, latitude {lat}) lies outside {district}:"
                " check the coordinates and the coordinate system they were taken in."
            )
        raise ValidationError({field: message.format(lon=lon, lat=lat, district=district_name())})
    return Placement(
        placement.lon,
        placement.lat,
        placement.inside,
        placement.outside_m,
        placement.street,
        system.value,
    )
