"""The map's layers through the API: each role sees its own units' places, the visible box
only, filtered, clustered when too many, and downloadable whole."""

import json

import pytest
from django.utils import translation

from tests.maps.conftest import HUANGDAO, grid_file
from vanguard.core import coords
from vanguard.maps import features
from vanguard.maps.layers import POINTS, SHAPES, Layer, register, unregister

pytestmark = pytest.mark.django_db
URL = "/api/v1/map/layers"


def names(collection):
    return sorted(f["properties"]["label"] for f in collection["features"])


def layer(client, name, **params):
    response = client.get("{}/{}".format(URL, name), params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def test_a_participant_gets_the_layers_in_drawing_order(places, login, office_clerk):
    listed = login(office_clerk).get(URL).json()
    order = [entry["name"] for entry in listed]
    assert [n for n in order if n in {"district", "streets", "grids", "projects"}] == [
        "district",
        "streets",
        "grids",
        "projects",
    ]
    projects = next(entry for entry in listed if entry["name"] == "projects")
    assert projects["filters"] == ["category", "unit"] and projects["cluster"]
    assert {"code": "started", "label": "开工"} in projects["categories"]
    assert projects["export_url"] == "/api/v1/map/layers/projects/export"


@pytest.mark.parametrize(
    ("who", "projects", "grids"),
    [
        (
            "office_clerk",
            ["XHA-0001 项目1", "XHA-0002 项目2"],
            ["hd-01 黄岛一号网格", "xjd-01 薛家岛一号网格"],
        ),
        (
            "leader",
            ["XHA-0001 项目1", "XHA-0002 项目2"],
            ["hd-01 黄岛一号网格", "xjd-01 薛家岛一号网格"],
        ),
        (
            "projects_member",
            ["XHA-0001 项目1", "XHA-0002 项目2"],
            ["hd-01 黄岛一号网格", "xjd-01 薛家岛一号网格"],
        ),
        ("hdjd_reporter", ["XHA-0002 项目2"], ["hd-01 黄岛一号网格"]),
        ("fgj_reporter", ["XHA-0001 项目1"], []),
        ("inspector", [], []),
    ],
)
def test_each_role_sees_the_places_of_the_units_it_may_see(
    request, places, login, who, projects, grids
):
    client = login(request.getfixturevalue(who))
    assert names(layer(client, "projects")) == projects
    assert names(layer(client, "grids")) == grids
    # Every participant sees the district and its towns and streets.
    assert len(layer(client, "district")["features"]) == 1
    assert len(layer(client, "streets")["features"]) == 23


def test_administrators_and_strangers_get_no_map(places, client, login, sysadmin):
    assert client.get(URL).status_code == 401
    assert client.get(URL + "/district").status_code == 401
    admin = login(sysadmin)
    assert admin.get(URL).status_code == 403
    assert admin.get(URL + "/district").status_code == 403
    assert admin.get("/map/").status_code == 403


def test_a_project_reads_as_a_feature_with_its_light_page_stage_and_unit(
    places, login, office_clerk
):
    found = layer(login(office_clerk), "projects", bbox="120.2,36.0,120.3,36.1")
    (feature,) = found["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": list(HUANGDAO)}
    assert feature["properties"] == {
        "label": "XHA-0002 项目2",
        "url": "/projects/p/XHA-0002/",
        "light": "red",
        "light_label": "红灯",
        "category": "开工",
        "unit": "黄岛街道",
        "layer": "projects",
    }
    assert found["count"] == 1 and not found["clustered"]


def test_only_the_visible_box_is_read(places, login, office_clerk):
    client = login(office_clerk)
    assert names(layer(client, "projects", bbox="119.9,35.8,120.1,35.9")) == ["XHA-0001 项目1"]
    assert names(layer(client, "grids", bbox="120.25,35.98,120.27,36.0")) == [
        "xjd-01 薛家岛一号网格"
    ]
    assert layer(client, "grids", bbox="119.5,35.6,119.6,35.7")["features"] == []
    streets = layer(client, "streets", bbox="120.22,36.05,120.23,36.06")
    assert "黄岛街道" in names(streets) and len(streets["features"]) < 23


def test_filters_by_category_and_unit(places, login, office_clerk):
    client = login(office_clerk)
    assert names(layer(client, "projects", category="started")) == ["XHA-0002 项目2"]
    assert names(layer(client, "projects", unit="fgj")) == ["XHA-0001 项目1"]
    assert names(layer(client, "grids", unit="xjdjd")) == ["xjd-01 薛家岛一号网格"]


def test_too_many_points_come_back_summed_up_by_area(places, login, office_clerk, monkeypatch):
    monkeypatch.setattr(features, "POINT_LIMIT", 1)
    found = layer(login(office_clerk), "projects", bbox="119.5,35.6,120.3,36.1")
    assert found["clustered"] and found["count"] == 2
    clusters = sorted(f["properties"]["count"] for f in found["features"])
    assert clusters == [1, 1]
    lights = [f["properties"]["lights"] for f in found["features"]]
    assert {"red": 1} in lights and {"grey": 1} in lights


def test_too_many_shapes_ask_to_zoom_in(places, login, office_clerk, monkeypatch):
    monkeypatch.setattr(features, "SHAPE_LIMIT", 1)
    found = layer(login(office_clerk), "grids")
    assert found["too_many"] and found["count"] == 2 and found["features"] == []


def test_a_bad_box_is_refused_in_chinese(places, login, office_clerk):
    with translation.override("zh-hans"):
        response = login(office_clerk).get(URL + "/projects", {"bbox": "120,36,119"})
    assert response.status_code == 422
    assert "范围须为四个数" in response.json()["message"]


def test_an_unknown_layer_is_404(places, login, office_clerk):
    assert login(office_clerk).get(URL + "/nowhere").status_code == 404


def test_the_export_is_every_feature_the_user_may_see_unclustered(
    places, login, hdjd_reporter, office_clerk, monkeypatch
):
    monkeypatch.setattr(features, "POINT_LIMIT", 1)
    response = login(office_clerk).get(URL + "/projects/export")
    assert response["Content-Disposition"] == 'attachment; filename="projects.geojson"'
    whole = json.loads(b"".join(response.streaming_content))
    assert whole["type"] == "FeatureCollection" and len(whole["features"]) == 2
    reporter = login(hdjd_reporter).get(URL + "/grids/export", {"unit": "hdjd"})
    assert names(json.loads(b"".join(reporter.streaming_content))) == ["hd-01 黄岛一号网格"]
    streets = login(hdjd_reporter).get(URL + "/streets/export")
    assert len(json.loads(b"".join(streets.streaming_content))["features"]) == 23


def test_a_layer_of_another_app_plugs_in_with_its_own_rule(places, login, hdjd_reporter, leader):
    from vanguard.org.models import Unit

    register(
        Layer(
            name="test-units",
            label="单位",
            kind=POINTS,
            rows=lambda campaign: Unit.objects.filter(kind="street").extra(
                select={"lon": "120.1", "lat": "35.9"}
            ),
            fields=("name",),
            properties=lambda row: {"label": row["name"], "url": ""},
            lon="lon",
            lat="lat",
            see=lambda user: user.username == "leader",
        )
    )
    try:
        assert login(hdjd_reporter).get(URL + "/test-units").status_code == 403
        assert "test-units" not in [e["name"] for e in login(hdjd_reporter).get(URL).json()]
        assert "test-units" in [e["name"] for e in login(leader).get(URL).json()]
    finally:
        unregister("test-units")


def test_a_layer_needs_rows_or_shapes_and_a_name_of_its_own():
    with pytest.raises(ValueError):
        register(Layer(name="broken", label="x", kind=SHAPES))
    with pytest.raises(ValueError):
        register(Layer(name="district", label="x", kind=SHAPES, shapes=list))
    with pytest.raises(ValueError):
        register(Layer(name="odd", label="x", kind="lines", shapes=list))


def test_locate_converts_wechat_points_and_refuses_outside(places, login, hdjd_reporter):
    client = login(hdjd_reporter)
    lon, lat = coords.wgs84_to_gcj02(*HUANGDAO)
    found = client.get("/api/v1/map/locate", {"longitude": lon, "latitude": lat, "system": "gcj02"})
    placed = found.json()
    assert placed["street"] == "黄岛街道" and placed["system"] == "gcj02" and placed["inside"]
    assert abs(placed["longitude"] - HUANGDAO[0]) < 1e-6
    with translation.override("zh-hans"):
        refused = client.get("/api/v1/map/locate", {"longitude": 120.33, "latitude": 36.07})
    assert refused.status_code == 422 and "不在青岛西海岸新区范围内" in refused.json()["message"]


def test_the_openapi_document_describes_the_map(places, login, office_clerk):
    paths = login(office_clerk).get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/map/layers",
        "/api/v1/map/layers/{name}",
        "/api/v1/map/layers/{name}/export",
        "/api/v1/map/locate",
    ):
        assert path in paths
    described = paths["/api/v1/map/layers/{name}"]["get"]["responses"]["200"]
    assert "FeatureCollectionOut" in json.dumps(described)


def test_grids_load_from_a_file_all_or_nothing_with_errors_in_chinese(
    places, office_clerk, hdjd_reporter
):
    from django.core.exceptions import PermissionDenied, ValidationError

    from vanguard.citywork.actions.grids import do_load_grids
    from vanguard.citywork.models import Grid

    bad = grid_file(
        ("hd-02", "黄岛二号网格", "黄岛街道", HUANGDAO),
        ("qd-01", "市南网格", "黄岛街道", (120.32, 36.065)),
        ("hd-03", "", "不存在街道", HUANGDAO),
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        do_load_grids(bad, actor=office_clerk)
    assert refused.value.messages == [
        "网格 qd-01：网格不在青岛西海岸新区范围内。",
        "网格 hd-03：名称为空。 没有名为 不存在街道 的镇街办事处。",
    ]
    assert not Grid.objects.filter(code="hd-02").exists()
    with pytest.raises(PermissionDenied):
        do_load_grids(
            grid_file(("hd-02", "黄岛二号网格", "黄岛街道", HUANGDAO)), actor=hdjd_reporter
        )
    created, updated = do_load_grids(
        grid_file(
            ("hd-02", "黄岛二号网格", "黄岛街道", HUANGDAO),
            ("hd-01", "黄岛一号", "黄岛街道", HUANGDAO),
        ),
        actor=office_clerk,
    )
    assert (created, updated) == (1, 1) and Grid.objects.get(code="hd-01").name == "黄岛一号"


def test_the_map_and_grid_pages_open_for_each_participant(
    places, login, hdjd_reporter, office_clerk, inspector
):
    for user in (office_clerk, hdjd_reporter, inspector):
        page = login(user).get("/map/")
        assert page.status_code == 200
        assert "vg-map-config" in page.content.decode()
    assert login(hdjd_reporter).get("/city/grids/hd-01/").status_code == 200
    assert login(hdjd_reporter).get("/city/grids/xjd-01/").status_code == 404
    assert login(office_clerk).get("/city/grids/xjd-01/").status_code == 200
