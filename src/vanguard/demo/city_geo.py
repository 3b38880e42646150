"""Demo grids (网格): each town or street of the shipped boundary cut into grids.

Each town or street (镇街) is cut by a lattice into pieces: at district scale about
eight grids a town or street (a few km across, the size of a community grid), at city
scale cells of about 600 m, some 6,000 grids for 1,000,000 cases a year (about 170 a
grid). Each grid is under its street office; a town or street of the boundary file
without a unit gets one (kind street). Deterministic: no random draws, so the other
generators draw as before.
"""

import math

from vanguard.audit.choices import DEMO_REASON, ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.citywork.models import Grid
from vanguard.core import geo
from vanguard.maps import district
from vanguard.org.choices import UnitKind
from vanguard.org.models import Unit

# Grids per town or street at district scale; the lattice cell in metres at city scale.
DISTRICT_GRIDS_PER_STREET = 8
CITY_CELL_M = 600
# A piece smaller than this share of a cell is a sliver along the boundary: it joins
# the grid of the cell beside it rather than standing alone.
SLIVER_SHARE = 0.15


def street_units(boundaries):
    """The street office of each town or street of the boundary file, created if missing."""
    by_name = {u.name: u for u in Unit.objects.filter(name__in=[b["name"] for b in boundaries])}
    missing = [
        Unit(code=b["code"], name=b["name"], kind=UnitKind.STREET)
        for b in boundaries
        if b["name"] not in by_name
    ]
    for unit in Unit.objects.bulk_create(missing):
        by_name[unit.name] = unit
    return by_name, len(missing)


def _cells(geometry, cell_deg_lon, cell_deg_lat):
    """The lattice cells over a shape's box, with the parts of the shape in each."""
    west, south, east, north = geo.bbox(geometry)
    columns = max(1, math.ceil((east - west) / cell_deg_lon))
    rows = max(1, math.ceil((north - south) / cell_deg_lat))
    for row in range(rows):
        for column in range(columns):
            box = (
                west + column * cell_deg_lon,
                south + row * cell_deg_lat,
                west + (column + 1) * cell_deg_lon,
                south + (row + 1) * cell_deg_lat,
            )
            parts = geo.clip_to_box(geometry, box)
            if parts:
                yield row, column, parts


def _shape(parts):
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": [parts[0]]}
    return {"type": "MultiPolygon", "coordinates": [[p] for p in parts]}


def _rounded(parts):
    return [[[round(lon, 6), round(lat, 6)] for lon, lat in ring] for ring in parts]


def cut(geometry, cell_m):
    """A town's or street's shape cut into grids of about ``cell_m`` metres; a sliver
    along the boundary joins the largest grid beside it."""
    south, north = geo.bbox(geometry)[1], geo.bbox(geometry)[3]
    per_lat = 111_195.0
    per_lon = per_lat * math.cos(math.radians((south + north) / 2))
    pieces, areas = {}, {}
    for row, column, parts in _cells(geometry, cell_m / per_lon, cell_m / per_lat):
        pieces[(row, column)] = list(parts)
        areas[(row, column)] = geo.area_m2(_shape(parts))
    sliver = SLIVER_SHARE * cell_m * cell_m
    for (row, column), area in sorted(areas.items(), key=lambda item: item[1]):
        if area >= sliver:
            break
        beside = [
            key
            for key in ((row, column - 1), (row, column + 1), (row - 1, column), (row + 1, column))
            if key in pieces and areas[key] >= sliver
        ]
        if beside:
            target = max(beside, key=areas.get)
            pieces[target] += pieces.pop((row, column))
            areas[target] += areas.pop((row, column))
    return [_shape(_rounded(parts)) for parts in pieces.values()]


def generate(scale):
    """Create the grids of every town and street; returns how many."""
    boundaries = [
        {**feature["properties"], "geometry": feature["geometry"]} for feature in district.streets()
    ]
    units, created_units = street_units(boundaries)
    grids = []
    for boundary in boundaries:
        if scale == "city":
            cell_m = CITY_CELL_M
        else:
            area = geo.area_m2(boundary["geometry"])
            cell_m = math.sqrt(area / DISTRICT_GRIDS_PER_STREET)
        width = 4 if scale == "city" else 2
        for number, shape in enumerate(cut(boundary["geometry"], cell_m), start=1):
            west, south, east, north = geo.bbox(shape)
            grids.append(
                Grid(
                    code="{}-{:0{}d}".format(boundary["code"], number, width),
                    name="{}第{}网格".format(boundary["name"], number),
                    unit=units[boundary["name"]],
                    geometry=shape,
                    min_lon=west,
                    min_lat=south,
                    max_lon=east,
                    max_lat=north,
                )
            )
    Grid.objects.bulk_create(grids, batch_size=2000)
    first = Unit.objects.filter(kind=UnitKind.STREET).order_by("pk").first()
    record_changes(
        [
            Change(
                first,
                ChangeAction.CREATE,
                after={"demo": "grids", "grids": len(grids), "street_units": created_units},
                reason=DEMO_REASON,
            )
        ],
        actor=None,
    )
    return len(grids)
