"""Demo grids: every town and street cut into grids under its street office."""

import random

import pytest

from vanguard.citywork.models import Grid
from vanguard.core import geo
from vanguard.demo import city_geo
from vanguard.maps import district
from vanguard.org.choices import UnitKind
from vanguard.org.models import Unit

pytestmark = pytest.mark.django_db


def test_each_town_and_street_is_cut_into_grids_under_its_office():
    Unit.objects.create(code="hdjd", name="黄岛街道", kind=UnitKind.STREET)
    made = city_geo.generate("district")
    # The 22 offices the database lacked were created as streets.
    streets = Unit.objects.filter(kind=UnitKind.STREET)
    assert streets.count() == 23 and Unit.objects.get(name="黄岛街道").code == "hdjd"
    assert made == Grid.objects.count() > 23 * 5
    for unit in streets:
        grids = list(unit.grids.all())
        assert len(grids) >= 3, unit.name
        for grid in grids:
            lon, lat = geo.centroid(grid.geometry)
            placed = district.street_at(lon, lat) or district.nearest_street(lon, lat)
            assert placed["name"] == unit.name, grid.code
    total = sum(geo.area_m2(g.geometry) for g in Grid.objects.all())
    assert total == pytest.approx(geo.area_m2(district.district()["geometry"]), rel=0.01)


def test_a_point_in_the_district_lies_in_exactly_one_grid():
    city_geo.generate("district")
    grids = list(Grid.objects.all())
    draw = random.Random(7)
    west, south, east, north = district.district_bbox()
    checked = 0
    while checked < 200:
        lon, lat = west + draw.random() * (east - west), south + draw.random() * (north - south)
        if not district.inside(lon, lat):
            continue
        holding = [g for g in grids if geo.contains(g.geometry, lon, lat)]
        assert len(holding) == 1, (lon, lat)
        assert Grid.objects.at(lon, lat) == holding[0]
        checked += 1
