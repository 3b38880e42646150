"""Plane geometry on WGS84 longitude and latitude, in pure Python.

Geometries are GeoJSON dictionaries (RFC 7946: coordinates as [longitude, latitude]).
At the scale of one district the plane approximation is exact enough for "which grid
holds this point"; distances use the haversine formula.
"""

import math

EARTH_RADIUS_M = 6_371_008.8


def rings(geometry):
    """The polygons of a Polygon or MultiPolygon, each as a list of rings (outer first)."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"not a polygon: {kind!r}")


def _points(geometry):
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Point":
        yield coords
    elif kind in ("LineString", "MultiPoint"):
        yield from coords
    elif kind in ("Polygon", "MultiLineString"):
        for part in coords:
            yield from part
    elif kind == "MultiPolygon":
        for polygon in coords:
            for ring in polygon:
                yield from ring
    else:
        raise ValueError(f"unknown geometry type: {kind!r}")


def bbox(geometry):
    """(min_lon, min_lat, max_lon, max_lat) of any GeoJSON geometry."""
    lons, lats = [], []
    for lon, lat, *_ in _points(geometry):
        lons.append(lon)
        lats.append(lat)
    if not lons:
        raise ValueError("empty geometry")
    return min(lons), min(lats), max(lons), max(lats)


def _in_ring(lon, lat, ring):
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry, lon, lat):
    """Whether a Polygon or MultiPolygon holds the point (holes excluded)."""
    for polygon in rings(geometry):
        outer, *holes = polygon
        if _in_ring(lon, lat, outer) and not any(_in_ring(lon, lat, h) for h in holes):
            return True
    return False


def distance_m(lon1, lat1, lon2, lat2):
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
