"""Distances to an edge, areas and centres on WGS84 coordinates."""

import pytest

from vanguard.core import geo

# A square of 0.1 degree at 36° N: about 9.0 km east-west and 11.1 km north-south.
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[120, 36], [120.1, 36], [120.1, 36.1], [120, 36.1], [120, 36]]],
}


def test_area_of_a_tenth_of_a_degree_square():
    assert geo.area_m2(SQUARE) == pytest.approx(9.0e3 * 11.12e3, rel=0.01)


def test_distance_to_the_nearest_edge_inside_and_outside():
    # 0.01° of latitude is 1,112 m, from inside or from outside alike.
    assert geo.distance_to_edge_m(SQUARE, 120.05, 36.01) == pytest.approx(1112, abs=2)
    assert geo.distance_to_edge_m(SQUARE, 120.05, 35.99) == pytest.approx(1112, abs=2)
    # Off a corner, the distance is to the corner.
    corner = geo.distance_to_edge_m(SQUARE, 120.11, 36.11)
    assert corner == pytest.approx(geo.distance_m(120.11, 36.11, 120.1, 36.1), rel=0.01)


def test_centroid_and_boxes():
    assert geo.centroid(SQUARE) == pytest.approx((120.05, 36.05))
    assert geo.bboxes_meet((0, 0, 1, 1), (1, 1, 2, 2))
    assert not geo.bboxes_meet((0, 0, 1, 1), (1.1, 0, 2, 1))
