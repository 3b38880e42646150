"""Which grid holds a point: the bounding box narrows, the polygon decides."""

import pytest

from vanguard.citywork.models import Grid
from vanguard.core import geo
from vanguard.org.choices import UnitKind
from vanguard.org.models import Unit

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[120, 36], [120.1, 36], [120.1, 36.1], [120, 36.1], [120, 36]]],
}
TRIANGLE = {
    "type": "Polygon",
    "coordinates": [[[120.1, 36], [120.2, 36], [120.1, 36.1], [120.1, 36]]],
}


def test_contains_excludes_holes():
    with_hole = {
        "type": "Polygon",
        "coordinates": [
            SQUARE["coordinates"][0],
            [[120.04, 36.04], [120.06, 36.04], [120.06, 36.06], [120.04, 36.06], [120.04, 36.04]],
        ],
    }
    assert geo.contains(with_hole, 120.02, 36.02)
    assert not geo.contains(with_hole, 120.05, 36.05)


def test_distance_of_a_hundredth_of_a_degree_of_latitude():
    assert geo.distance_m(120, 36, 120, 36.01) == pytest.approx(1112, abs=2)


@pytest.mark.django_db
def test_grid_at_a_point():
    street = Unit.objects.create(code="lingshanwei", name="灵山卫街道", kind=UnitKind.STREET)
    square = Grid.objects.create(code="g1", name="一号网格", unit=street, geometry=SQUARE)
    triangle = Grid.objects.create(code="g2", name="二号网格", unit=street, geometry=TRIANGLE)
    assert Grid.objects.at(120.05, 36.05) == square
    assert Grid.objects.at(120.12, 36.02) == triangle
    # Inside the triangle's bounding box, outside the triangle.
    assert Grid.objects.at(120.19, 36.09) is None
    assert (triangle.min_lon, triangle.max_lat) == (120.1, 36.1)
