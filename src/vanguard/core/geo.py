"""Plane geometry on WGS84 longitude and latitude, in pure Python.

Geometries are GeoJSON dictionaries (RFC 7946: coordinates as [longitude, latitude]).
At the scale of one district the plane approximation is exact enough for "which grid
holds this point"; distances use the haversine formula, and distances to an edge or
areas a local equirectangular projection (metres east and north of a point), which
errs by well under a metre over the few kilometres they are used for.

Every app uses these (grids, the district boundary, projects, cases); they import
nothing of the project. Conversions between China's coordinate systems are in
``vanguard.core.coords``.
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


def _metres_per_degree(lat):
    """Metres per degree of longitude and of latitude at a latitude (local projection)."""
    per_lat = math.pi * EARTH_RADIUS_M / 180
    return per_lat * math.cos(math.radians(lat)), per_lat


def _segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def distance_to_edge_m(geometry, lon, lat):
    """The distance in metres from a point to the nearest edge of a (Multi)Polygon."""
    mx, my = _metres_per_degree(lat)
    best = math.inf
    for polygon in rings(geometry):
        for ring in polygon:
            for (ax, ay, *_), (bx, by, *_) in zip(ring, ring[1:], strict=False):
                best = min(
                    best,
                    _segment_distance(
                        0.0, 0.0, (ax - lon) * mx, (ay - lat) * my, (bx - lon) * mx, (by - lat) * my
                    ),
                )
    return best


def area_m2(geometry):
    """The area of a Polygon or MultiPolygon in square metres (holes subtracted)."""
    min_lon, min_lat, max_lon, max_lat = bbox(geometry)
    mx, my = _metres_per_degree((min_lat + max_lat) / 2)
    total = 0.0
    for polygon in rings(geometry):
        for index, ring in enumerate(polygon):
            twice = sum(
                (ax * by - bx * ay) * mx * my
                for (ax, ay, *_), (bx, by, *_) in zip(ring, ring[1:], strict=False)
            )
            total += abs(twice) / 2 * (1 if index == 0 else -1)
    return total


def bboxes_meet(first, second):
    """Whether two (min_lon, min_lat, max_lon, max_lat) boxes overlap or touch."""
    return not (
        first[2] < second[0] or second[2] < first[0] or first[3] < second[1] or second[3] < first[1]
    )


def centroid(geometry):
    """The centre of mass of a (Multi)Polygon's outer rings, as (lon, lat)."""
    sum_x = sum_y = sum_a = 0.0
    for polygon in rings(geometry):
        ring = polygon[0]
        for (ax, ay, *_), (bx, by, *_) in zip(ring, ring[1:], strict=False):
            cross = ax * by - bx * ay
            sum_a += cross
            sum_x += (ax + bx) * cross
            sum_y += (ay + by) * cross
    if sum_a == 0:
        min_lon, min_lat, max_lon, max_lat = bbox(geometry)
        return (min_lon + max_lon) / 2, (min_lat + max_lat) / 2
    return sum_x / (3 * sum_a), sum_y / (3 * sum_a)


def _side(point, origin, normal):
    return (point[0] - origin[0]) * normal[0] + (point[1] - origin[1]) * normal[1]


def clip(ring, origin, normal):
    """The parts of a simple polygon (an open ring of [lon, lat]) on the side of the line
    through ``origin`` that ``normal`` points to, as open rings.

    A cut line may split a concave outline into several parts: the crossings are sorted
    along the line, where they pair up into the stretches of the line inside the
    polygon, and each part is closed along those stretches.
    """
    sides = [_side(p, origin, normal) or 1e-15 for p in ring]
    if all(s > 0 for s in sides):
        return [ring]
    if all(s < 0 for s in sides):
        return []
    # Walk from an outside vertex, so every kept chain runs entry -> ... -> exit.
    start = next(i for i, s in enumerate(sides) if s < 0)
    order = ring[start:] + ring[:start]
    sides = sides[start:] + sides[:start]
    chains, current = [], None
    direction = (-normal[1], normal[0])
    for i in range(len(order)):
        a, b = order[i], order[(i + 1) % len(order)]
        sa, sb = sides[i], sides[(i + 1) % len(order)]
        if sa > 0:
            current.append(a)
        if (sa > 0) != (sb > 0):
            t = sa / (sa - sb)
            cross = (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
            if sb > 0:
                current = [cross]
            else:
                current.append(cross)
                chains.append(current)
                current = None

    def along(point):
        return point[0] * direction[0] + point[1] * direction[1]

    crossings = sorted(
        [(along(c[0]), "entry", k) for k, c in enumerate(chains)]
        + [(along(c[-1]), "exit", k) for k, c in enumerate(chains)]
    )
    partner = {}
    for first, second in zip(crossings[::2], crossings[1::2], strict=True):
        partner[(first[1], first[2])] = second
        partner[(second[1], second[2])] = first
    parts, done = [], set()
    for k in range(len(chains)):
        if k in done:
            continue
        part, chain = [], k
        while chain not in done:
            done.add(chain)
            part.extend(chains[chain])
            _t, kind, chain = partner[("exit", chain)]
            assert kind == "entry"
        parts.append(part)
    return parts


def clip_to_box(geometry, box):
    """The parts of a (Multi)Polygon's outer rings inside ``box`` (west, south, east,
    north), as a list of closed rings; holes are not kept."""
    west, south, east, north = box
    edges = [((west, 0), (1, 0)), ((east, 0), (-1, 0)), ((0, south), (0, 1)), ((0, north), (0, -1))]
    found = []
    for polygon in rings(geometry):
        parts = [[list(p[:2]) for p in polygon[0][:-1]]]
        for origin, normal in edges:
            parts = [piece for part in parts for piece in clip(part, origin, normal)]
        found += [[list(p) for p in part] + [list(part[0])] for part in parts if len(part) >= 3]
    return found
