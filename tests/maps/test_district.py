"""The shipped boundary: which town or street holds a point; refusing points outside."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vanguard.core import coords, geo
from vanguard.maps import district

# Known places in WGS84.
GOLDEN_BEACH = (120.235, 35.962)  # 金沙滩, 薛家岛
JIAONAN = (120.035, 35.875)  # the old 胶南 town centre
LANGYA = (119.925, 35.70)  # 琅琊
LINGSHAN_ISLAND = (120.168, 35.772)  # 灵山岛
QINGDAO_OLD_TOWN = (120.32, 36.065)  # 市南区, across the bay
RIZHAO = (119.46, 35.42)


def test_the_district_and_its_23_towns_and_streets():
    names = [f["properties"]["name"] for f in district.streets()]
    assert len(names) == len(set(names)) == 23
    assert {"黄岛街道", "珠山街道", "张家楼街道", "胶河经济区", "琅琊镇"} <= set(names)
    area_km2 = geo.area_m2(district.district()["geometry"]) / 1e6
    # The district's land is about 2,100 km²; the drawn outline is approximate.
    assert 1900 < area_km2 < 2400
    parts = sum(geo.area_m2(f["geometry"]) for f in district.streets()) / 1e6
    assert parts == pytest.approx(area_km2, rel=0.01)


@pytest.mark.parametrize(
    ("point", "street"),
    [
        (GOLDEN_BEACH, "薛家岛街道"),
        (JIAONAN, "珠海街道"),
        (LANGYA, "琅琊镇"),
        (LINGSHAN_ISLAND, "灵山卫街道"),
    ],
)
def test_a_point_lies_in_one_town_or_street(point, street):
    placement = district.locate(*point)
    assert placement.inside and not placement.flagged
    assert placement.street == street


def test_a_gcj02_point_from_wechat_is_converted_and_the_system_kept():
    entered = coords.wgs84_to_gcj02(*JIAONAN)
    placement = district.locate(str(entered[0]), str(entered[1]), "gcj02")
    assert geo.distance_m(placement.lon, placement.lat, *JIAONAN) < 0.01
    assert placement.system == "gcj02" and placement.street == "珠海街道"


def test_a_point_just_off_the_coast_is_accepted_and_flagged():
    # 500 m out to sea from the 灵山湾 coast.
    placement = district.locate(120.100, 35.872)
    assert placement.flagged and 0 < placement.outside_m < district.NEAR_M
    assert placement.street is not None


@pytest.mark.parametrize("point", [QINGDAO_OLD_TOWN, RIZHAO, (0, 0)])
def test_a_point_outside_the_district_is_refused_in_chinese(point):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        district.locate(*point, field="location")
    message = refused.value.message_dict["location"][0]
    assert "不在青岛西海岸新区范围内" in message and str(point[0]) in message


def test_swapped_longitude_and_latitude_are_named():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        district.locate(JIAONAN[1], JIAONAN[0])
    assert "经纬度填反" in refused.value.messages[0]


@pytest.mark.parametrize(("lon", "lat", "system"), [("东经120", "36", "wgs84"), (120, 36, "cgcs")])
def test_bad_numbers_and_unknown_systems_are_refused(lon, lat, system):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        district.locate(lon, lat, system)
    assert refused.value.messages[0].startswith(("经度和纬度", "未知的坐标系"))
