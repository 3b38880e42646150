"""Where a city case goes: the grid that holds it, the unit that handles it, and the open
cases it may repeat.

Routing (派遣建议) follows the most specific rule that matches:

1. a route of the case's 小类 for its grid;
2. a route of its 大类 for its grid;
3. a route of the 小类 for every grid, then of the 大类 for every grid;
4. the category's responsible department (water, power: wherever the case is);
5. the grid's own town or street office (属地管理).

A case outside every grid and with no department has no suggestion: the dispatcher
chooses. Both lookups are indexed range queries (the grid's and the cases' bounding
boxes) followed by an exact test on a handful of rows.
"""

import math
from dataclasses import dataclass

from vanguard.citywork.models import Case, CaseRoute, Grid
from vanguard.citywork.models.cases import OPEN_STATES, CaseState
from vanguard.core import geo

# Metres per degree of latitude; a degree of longitude is this times cos(latitude).
METRES_PER_DEGREE = math.pi * geo.EARTH_RADIUS_M / 180
MOST_DUPLICATES = 5


@dataclass(frozen=True)
class Route:
    grid: object  # Grid or None
    unit: object  # org.Unit or None
    why: str  # "route", "department", "grid", "none"


def route(category, lon, lat, grid=None):
    """The grid holding the point and the unit that should handle ``category`` there."""
    if grid is None:
        grid = Grid.objects.select_related("unit").at(lon, lat)
    categories = [category.pk] + ([category.parent_id] if category.parent_id else [])
    routes = {
        (r.category_id, r.grid_id): r
        for r in CaseRoute.objects.select_related("unit").filter(
            category_id__in=categories, grid_id__in=[grid.pk] if grid else []
        )
    }
    routes.update(
        {
            (r.category_id, None): r
            for r in CaseRoute.objects.select_related("unit").filter(
                category_id__in=categories, grid__isnull=True
            )
        }
    )
    for key in [(c, grid.pk if grid else None) for c in categories] + [
        (c, None) for c in categories
    ]:
        if key in routes:
            return Route(grid, routes[key].unit, "route")
    if category.unit_id is not None:
        return Route(grid, category.unit, "department")
    if grid is not None:
        return Route(grid, grid.unit, "grid")
    return Route(None, None, "none")


def nearby_open(category, lon, lat, *, radius_m=None, exclude=None, limit=MOST_DUPLICATES):
    """Open cases of ``category`` within its duplicate radius, nearest first: [(case, metres)]."""
    radius = radius_m if radius_m is not None else category.duplicate_radius_m
    dlat = radius / METRES_PER_DEGREE
    dlon = radius / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    candidates = Case.objects.filter(
        category=category,
        state__in=OPEN_STATES,
        lon__gte=lon - dlon,
        lon__lte=lon + dlon,
        lat__gte=lat - dlat,
        lat__lte=lat + dlat,
    ).exclude(state=CaseState.MERGED)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    found = []
    for case in candidates.only("pk", "lon", "lat", "state", "reported_at", "description")[:200]:
        distance = geo.distance_m(lon, lat, case.lon, case.lat)
        if distance <= radius:
            found.append((case, distance))
    found.sort(key=lambda pair: (pair[1], pair[0].reported_at))
    return found[:limit]
