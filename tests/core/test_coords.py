"""Conversions from China's map systems to WGS84, checked against published pairs."""

import pytest

from vanguard.core import coords
from vanguard.core.coords import CoordinateSystem
from vanguard.core.geo import distance_m

# The pairs published with the widely used coordtransform library, for (116.404, 39.915)
# taken as the source system's coordinates (Tiananmen, Beijing).
POINT = (116.404, 39.915)
WGS84_TO_GCJ02 = (116.41024449916938, 39.91640428150164)
GCJ02_TO_BD09 = (116.41036949371029, 39.92133699351021)
BD09_TO_GCJ02 = (116.39762729119315, 39.90865673957631)
# The same library's one-step GCJ-02 inverse, good to a few metres only.
GCJ02_TO_WGS84_ONE_STEP = (116.39775550083061, 39.91359571849836)

# Qingdao West Coast: the district government on 长江中路, in WGS84.
WEST_COAST = (120.1689, 35.9736)


def metres(first, second):
    return distance_m(first[0], first[1], second[0], second[1])


def test_wgs84_to_gcj02_matches_the_published_pair():
    assert metres(coords.wgs84_to_gcj02(*POINT), WGS84_TO_GCJ02) < 0.01


def test_gcj02_and_bd09_match_the_published_pairs():
    assert metres(coords.gcj02_to_bd09(*POINT), GCJ02_TO_BD09) < 0.01
    # The published inverse is good to centimetres; this one is refined past it.
    assert metres(coords.bd09_to_gcj02(*POINT), BD09_TO_GCJ02) < 0.1


def test_the_iterated_inverse_of_gcj02_lands_where_the_forward_formula_started():
    wgs = coords.gcj02_to_wgs84(*WGS84_TO_GCJ02)
    assert metres(wgs, POINT) < 0.001
    # ... and it is close to the one-step approximation, better than it by metres.
    one_step = coords.gcj02_to_wgs84(*POINT)
    assert metres(one_step, GCJ02_TO_WGS84_ONE_STEP) < 2
    assert metres(coords.wgs84_to_gcj02(*one_step), POINT) < 0.001


@pytest.mark.parametrize("system", list(CoordinateSystem))
def test_every_system_round_trips_in_the_district_to_a_millimetre(system):
    entered = coords.from_wgs84(*WEST_COAST, system)
    assert metres(coords.to_wgs84(*entered, system), WEST_COAST) < 0.001


def test_gcj02_shifts_a_qingdao_point_by_a_few_hundred_metres():
    shift = metres(coords.wgs84_to_gcj02(*WEST_COAST), WEST_COAST)
    assert 200 < shift < 800
    baidu = metres(coords.wgs84_to_bd09(*WEST_COAST), WEST_COAST)
    assert 800 < baidu < 2000


def test_outside_china_gcj02_is_wgs84():
    tokyo = (139.69, 35.69)
    assert coords.wgs84_to_gcj02(*tokyo) == tokyo
    assert coords.gcj02_to_wgs84(*tokyo) == tokyo


def test_to_wgs84_takes_the_system_by_its_code_and_refuses_others():
    assert coords.to_wgs84("120.1", "36.0", "wgs84") == (120.1, 36.0)
    with pytest.raises(ValueError):
        coords.to_wgs84(120.1, 36.0, "cgcs")
