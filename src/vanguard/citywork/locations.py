"""Where a renewal project, a demonstration zone or a model road lies: GeoJSON in WGS84.

Locations arrive as GeoJSON geometries (RFC 7946: [longitude, latitude]) from forms,
the API and workbooks (a point as two columns, a polygon or line as GeoJSON text).
``clean_geometry`` checks the shape, closes nothing silently, rounds to 7 decimals
(about a centimetre) and puts every position through the district's one boundary check
(``vanguard.maps.district.locate``, the one project sheets use), so that a swapped
latitude and longitude or a point from another city never reaches the map, and the
refusal names the point and the district.
"""

import functools
import json
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.citywork import geo
from vanguard.core.geo import centroid
from vanguard.maps import district

PLACES = 7

POINT = ("Point",)
AREA = ("Polygon", "MultiPolygon")
LINE = ("LineString", "MultiLineString")


def _number(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError
    if not math.isfinite(value):
        raise ValueError
    return round(float(value), PLACES)


def _position(position):
    if not isinstance(position, list | tuple) or len(position) < 2:
        raise ValidationError(
            _("Each position is [longitude, latitude]: “{value}” is not.").format(
                value=json.dumps(position, ensure_ascii=False)[:60]
            )
        )
    try:
        lon, lat = _number(position[0]), _number(position[1])
    except ValueError:
        raise ValidationError(
            _("Longitude and latitude are numbers: “{value}” is not.").format(
                value=json.dumps(position, ensure_ascii=False)[:60]
            )
        ) from None
    try:
        district.locate(lon, lat)
    except ValidationError as error:
        # The caller names the field, sheet cell or API field; the words name the point.
        raise ValidationError(error.messages[0]) from None
    return [lon, lat]


def _line(coordinates):
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        raise ValidationError(_("A line needs at least two positions."))
    return [_position(p) for p in coordinates]


def _ring(coordinates):
    if not isinstance(coordinates, list) or len(coordinates) < 4:
        raise ValidationError(_("A polygon's ring needs at least four positions."))
    ring = [_position(p) for p in coordinates]
    if ring[0] != ring[-1]:
        raise ValidationError(_("A polygon's ring must end where it begins."))
    return ring


def _polygon(coordinates):
    if not isinstance(coordinates, list) or not coordinates:
        raise ValidationError(_("A polygon needs its outer ring."))
    return [_ring(r) for r in coordinates]


def _parts(coordinates, part):
    if not isinstance(coordinates, list) or not coordinates:
        raise ValidationError(_("The geometry has no parts."))
    return [part(c) for c in coordinates]


_SHAPES = {
    "Point": _position,
    "LineString": _line,
    "MultiLineString": lambda c: _parts(c, _line),
    "Polygon": _polygon,
    "MultiPolygon": lambda c: _parts(c, _polygon),
}

_KIND_WORDS = {
    POINT + AREA: gettext_lazy("a point or a polygon"),
    AREA: gettext_lazy("a polygon"),
    LINE: gettext_lazy("a line"),
}


def parse_geometry(value):
    """A GeoJSON geometry from a dict, a Feature or JSON text; ValidationError if none."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise ValidationError(_("Give the location."))
        try:
            value = json.loads(text)
        except ValueError:
            raise ValidationError(
                _("The location is not GeoJSON: write e.g. {example}.").format(
                    example='{"type": "Point", "coordinates": [120.18, 35.96]}'
                )
            ) from None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or "type" not in value:
        raise ValidationError(_("The location is not a GeoJSON geometry."))
    return value


def clean_geometry(value, kinds):
    """The geometry ``value`` checked and rounded; one of the GeoJSON types in ``kinds``."""
    geometry = parse_geometry(value)
    kind = geometry.get("type")
    if kind not in kinds:
        raise ValidationError(
            _("The location must be {wanted}, not {kind}.").format(
                wanted=_KIND_WORDS.get(tuple(kinds), " / ".join(kinds)), kind=kind
            )
        )
    return {"type": kind, "coordinates": _SHAPES[kind](geometry.get("coordinates"))}


def point(lon, lat):
    """A GeoJSON point, checked like any location."""
    return clean_geometry({"type": "Point", "coordinates": [lon, lat]}, POINT)


def anchor(geometry):
    """(longitude, latitude) to put a marker at: the point itself, or the bounds' centre."""
    if geometry["type"] == "Point":
        return tuple(geometry["coordinates"][:2])
    west, south, east, north = geo.bbox(geometry)
    return round((west + east) / 2, PLACES), round((south + north) / 2, PLACES)


def length_m(geometry):
    """The length of a LineString or MultiLineString in metres."""
    lines = (
        [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
    )
    total = 0.0
    for line in lines:
        for (lon1, lat1, *_a), (lon2, lat2, *_b) in zip(line, line[1:], strict=False):
            total += geo.distance_m(lon1, lat1, lon2, lat2)
    return round(total)


@functools.cache
def _street_centres():
    """Town and street names (full and short) → the centre of their outline."""
    centres = {}
    for feature in district.streets():
        name = feature["properties"]["name"]
        centre = centroid(feature["geometry"])
        centres[name] = centre
        short = name.removesuffix("街道").removesuffix("镇")
        if len(short) >= 2:
            centres.setdefault(short, centre)
    return centres


def street_centre_named_in(address):
    """``(lon, lat, name)`` of the town or street an address names (the longest name found),
    or None: where a report gives only an address, it is placed there until checked."""
    centres = _street_centres()
    for name in sorted(centres, key=len, reverse=True):
        if name in (address or ""):
            lon, lat = centres[name]
            return lon, lat, name
    return None
