"""A layer's features for a visible box, the same way for every registered layer.

The rows pass through ``org.access.restrict`` first, then the filters (category, unit)
and the box: for points the longitude and latitude columns, for shapes the four
bounding-box columns, so an index narrows both. Only the visible area is read:

- up to ``POINT_LIMIT`` points come back as points (the page clusters them);
- beyond it, the box is cut into about ``CLUSTER_COLUMNS`` × ``CLUSTER_ROWS`` cells and
  one GROUP BY in SQL gives each cell's count, mean position and count per light, so a
  district-wide view of 100,000 open cases is a few hundred features, not 100,000;
- up to ``SHAPE_LIMIT`` shapes come back whole; beyond it the answer gives their count
  and asks to zoom in (a polygon cannot be summed up the way points can).

``export`` (the GeoJSON download) takes every row the user may see, unclustered, and
streams it.
"""

import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, F, FloatField, IntegerField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from vanguard.core import geo
from vanguard.maps.layers import POINTS, all_layers, get
from vanguard.org import access

POINT_LIMIT = 2000
SHAPE_LIMIT = 1500
CLUSTER_COLUMNS = 40
CLUSTER_ROWS = 30
# Six decimals of a degree are about 0.1 m: as precise as any source of these points.
DIGITS = 6


def may_see(user, layer):
    """Whether ``user`` may open ``layer``: a participant, and the layer's own rule."""
    return access.may_see_map(user) and (layer.see is None or bool(layer.see(user)))


def visible_layers(user):
    return [layer for layer in all_layers() if may_see(user, layer)]


def layer_for(user, name):
    """The layer ``name`` if ``user`` may open it; LookupError when unknown or hidden."""
    layer = get(name)
    if not may_see(user, layer):
        raise PermissionDenied(_("You may not see this map layer."))
    return layer


def parse_bbox(text):
    """``min_lon,min_lat,max_lon,max_lat`` in WGS84 degrees, or None for no box."""
    if text is None or not str(text).strip():
        return None
    try:
        values = [float(part) for part in str(text).split(",")]
    except ValueError:
        values = []
    if (
        len(values) != 4
        or not all(v == v for v in values)
        or not (-180 <= values[0] < values[2] <= 180 and -90 <= values[1] < values[3] <= 90)
    ):
        raise ValidationError(
            {
                "bbox": _(
                    "The box must be four numbers: west longitude, south latitude, east"
                    " longitude, north latitude (got {text})."
                ).format(text=text)
            }
        )
    return tuple(values)


@dataclass(frozen=True)
class Query:
    """What a request asks of a layer."""

    user: object
    campaign: object
    bbox: tuple | None = None
    category: str | None = None
    unit: str | None = None


def rows(layer, query):
    """The layer's rows the user may see, filtered and boxed (a queryset)."""
    queryset = access.restrict(layer.rows(query.campaign), query.user)
    if layer.narrow is not None:
        queryset = layer.narrow(queryset, query.user)
    if query.category and layer.category_filter is not None:
        queryset = layer.category_filter(queryset, query.category)
    elif query.category and layer.category:
        queryset = queryset.filter(**{layer.category: query.category})
    if query.unit and layer.unit:
        queryset = queryset.filter(**{layer.unit + "__code": query.unit})
    box = query.bbox
    if box is not None:
        if layer.kind == POINTS:
            queryset = queryset.filter(
                **{
                    layer.lon + "__gte": box[0],
                    layer.lon + "__lte": box[2],
                    layer.lat + "__gte": box[1],
                    layer.lat + "__lte": box[3],
                }
            )
        else:
            west, south, east, north = layer.box
            queryset = queryset.filter(
                **{
                    west + "__lte": box[2],
                    east + "__gte": box[0],
                    south + "__lte": box[3],
                    north + "__gte": box[1],
                }
            )
    return queryset.order_by()


def _point(lon, lat):
    return {"type": "Point", "coordinates": [round(float(lon), DIGITS), round(float(lat), DIGITS)]}


def _feature(layer, row):
    if layer.kind == POINTS:
        geometry = _point(row[layer.lon], row[layer.lat])
    else:
        geometry = row[layer.geometry]
        if isinstance(geometry, str):
            geometry = json.loads(geometry)
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {**layer.properties(row), "layer": layer.name},
    }


def _values(layer):
    place = (layer.lon, layer.lat) if layer.kind == POINTS else (layer.geometry,)
    return list(dict.fromkeys([*layer.fields, *place]))


def _collection(layer, features, **extra):
    return {"type": "FeatureCollection", "layer": layer.name, "features": features, **extra}


def _static(layer, query):
    features = []
    for feature in layer.shapes():
        if query.bbox is not None and not geo.bboxes_meet(
            geo.bbox(feature["geometry"]), query.bbox
        ):
            continue
        features.append({**feature, "properties": {**feature["properties"], "layer": layer.name}})
    return _collection(layer, features, count=len(features), clustered=False, too_many=False)


def clusters(layer, queryset, box, lights=True):
    """Points summed up per cell of the box in one GROUP BY: count, mean place, lights."""
    width = (box[2] - box[0]) / CLUSTER_COLUMNS
    height = (box[3] - box[1]) / CLUSTER_ROWS
    lon = Cast(F(layer.lon), FloatField())
    lat = Cast(F(layer.lat), FloatField())
    lights = bool(layer.light) and lights
    # One integer per cell (column * 1000 + row) groups faster than two keys; inside the
    # box both parts are at least 0, so the cast's truncation (or PostgreSQL's rounding)
    # only decides which side of a cell's edge a point falls on, the same for every row.
    cell = Cast((lon - box[0]) / width, IntegerField()) * 1000 + Cast(
        (lat - box[1]) / height, IntegerField()
    )
    keys = ["cell"] + ([layer.light] if lights else [])
    grouped = (
        queryset.annotate(cell=cell)
        .values(*keys)
        .annotate(points=Count("pk"), mean_lon=Avg(lon), mean_lat=Avg(lat))
    )
    cells = {}
    for row in grouped:
        cell = cells.setdefault(row["cell"], {"count": 0, "lon": 0.0, "lat": 0.0, "lights": {}})
        cell["count"] += row["points"]
        cell["lon"] += row["mean_lon"] * row["points"]
        cell["lat"] += row["mean_lat"] * row["points"]
        if lights:
            light = row[layer.light] or "grey"
            cell["lights"][light] = cell["lights"].get(light, 0) + row["points"]
    features = [
        {
            "type": "Feature",
            "geometry": _point(cell["lon"] / cell["count"], cell["lat"] / cell["count"]),
            "properties": {
                "layer": layer.name,
                "cluster": True,
                "count": cell["count"],
                "lights": cell["lights"],
            },
        }
        for cell in cells.values()
    ]
    return features


def collect(layer, query):
    """The layer's GeoJSON FeatureCollection for a request (clustered or limited).

    A probe of at most limit + 1 ids (cheap, from the index) decides between the rows
    and the summary, so a box of 100,000 points is never counted twice.
    """
    if layer.shapes is not None:
        return _static(layer, query)
    queryset = rows(layer, query)
    limit = POINT_LIMIT if layer.kind == POINTS else SHAPE_LIMIT
    over = len(queryset.values_list("pk", flat=True)[: limit + 1]) > limit
    if over and layer.kind == POINTS:
        box = query.bbox or _extent(layer, queryset)
        up_to = layer.cluster_lights_up_to
        # Where each light costs a lookup, sum up without lights first: few enough
        # points are then summed up again with them.
        found = clusters(layer, queryset, box, lights=up_to is None)
        count = sum(f["properties"]["count"] for f in found)
        if up_to is not None and count <= up_to:
            found = clusters(layer, queryset, box)
        return _collection(layer, found, count=count, clustered=True, too_many=False)
    if over:
        return _collection(layer, [], count=queryset.count(), clustered=False, too_many=True)
    features = [_feature(layer, row) for row in queryset.values(*_values(layer))]
    return _collection(layer, features, count=len(features), clustered=False, too_many=False)


def _extent(layer, queryset):
    from django.db.models import Max, Min

    found = queryset.aggregate(
        w=Min(layer.lon), s=Min(layer.lat), e=Max(layer.lon), n=Max(layer.lat)
    )
    west, south = float(found["w"]), float(found["s"])
    # A box of one point still has an area to cut into cells.
    return west, south, max(float(found["e"]), west + 1e-6), max(float(found["n"]), south + 1e-6)


def stream(layer, query):
    """The whole layer (every row the user may see, no clusters) as GeoJSON text chunks."""
    yield '{{"type":"FeatureCollection","layer":{},"features":['.format(json.dumps(layer.name))
    if layer.shapes is not None:
        features = iter(_static(layer, query)["features"])
    else:
        features = (
            _feature(layer, row)
            for row in rows(layer, query).values(*_values(layer)).iterator(chunk_size=2000)
        )
    first = True
    for feature in features:
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"
