"""The map page's base map: none by default (no other host), or the configured tiles,
which only the map page's policy admits."""

import json

import pytest

from vanguard.maps.views import policy_with_tiles, tiles

pytestmark = pytest.mark.django_db

TIANDITU = (
    "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=vec"
    "&TILEMATRIXSET=w&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)


def config_of(response):
    text = response.content.decode()
    start = text.index('id="vg-map-config"')
    return json.loads(text[text.index(">", start) + 1 : text.index("</script>", start)])


def test_with_no_tiles_the_page_names_no_other_host(places, login, office_clerk):
    response = login(office_clerk).get("/map/")
    assert config_of(response)["tiles"] is None
    assert "img-src 'self' data: blob:;" in response["Content-Security-Policy"]
    assert "未配置底图" in response.content.decode()


def test_tianditu_tiles_with_their_key_and_approval_number(places, login, office_clerk, settings):
    settings.MAP_TILE_URL = TIANDITU
    settings.MAP_TILE_KEY = "abc123"
    settings.MAP_TILE_SUBDOMAINS = "01234567"
    settings.MAP_LABEL_URL = TIANDITU.replace("vec", "cva")
    settings.MAP_APPROVAL_NUMBER = "GS（2024）0568号"
    response = login(office_clerk).get("/map/")
    found = config_of(response)["tiles"]
    assert found["url"].endswith("tk=abc123") and found["subdomains"] == "01234567"
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://*.tianditu.gov.cn;" in policy
    assert "GS（2024）0568号" in response.content.decode()
    # Other pages still admit no other host.
    other = login(office_clerk).get("/projects/")
    assert "tianditu" not in other["Content-Security-Policy"]


def test_a_district_tile_server_on_its_own_host_and_port(settings):
    settings.MAP_TILE_URL = "http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png"
    assert "img-src 'self' data: blob: http://10.1.2.3:8080;" in policy_with_tiles(tiles())
