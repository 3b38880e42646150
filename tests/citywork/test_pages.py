"""Every page of the weekly work, opened as every role, after the office set it up through
its doors: what each may see (200), may not see (404) or may not do (403)."""

import pytest

from tests.citywork.conftest import ROLES, signed_in

pytestmark = pytest.mark.django_db

ALL = dict.fromkeys(ROLES, 200)
# Managing pages: the office and the city-work task force (and its member who also
# reports for a street).
MANAGE = {**dict.fromkeys(ROLES, 403), "office": 200, "tf_citywork": 200, "dual": 200}


def _only(ok, missing=404):
    """200 for the roles in ``ok``, ``missing`` for everyone else."""
    return {role: 200 if role in ok else missing for role in ROLES}


SEE_ALL = ("office", "leader", "tf_citywork", "dual")
PAGES = {
    "/city/": ALL,
    "/city/weekly/": ALL,
    "/city/weekly/?week=2026-W10": ALL,
    "/city/weekly.xlsx?week=2026-W10": {**ALL, "inspector": 403},
    "/city/renewal/": ALL,
    "/city/renewal/?kind=old-residential&light=red&state=waiting": ALL,
    "/city/renewal/kinds/": ALL,
    "/city/renewal/export.xlsx": ALL,
    "/city/renewal/import/": MANAGE,
    "/city/renewal/p/GX-HD-01/": _only(SEE_ALL + ("reporter_hdjd",)),
    "/city/renewal/p/GX-ZJ-01/": _only(SEE_ALL + ("reporter_zjj",)),
    "/city/campaigns/": ALL,
    "/city/campaigns/new/": MANAGE,
    "/city/campaigns/c/cwzz/": _only(SEE_ALL),
    "/city/campaigns/c/cwzz/edit/": {**MANAGE, "leader": 403, "reporter_hdjd": 403},
    "/city/places/": ALL,
    "/city/places/?kind=road": ALL,
    "/city/places/new/": MANAGE,
    "/city/places/criteria/": ALL,
    "/city/places/p/SFQ-01/": _only(SEE_ALL + ("reporter_hdjd",)),
    "/city/places/p/JPDL-01/": _only(SEE_ALL + ("reporter_zjj",)),
    "/city/places/p/JPDL-01/edit/": MANAGE,
}


def test_every_page_as_every_role(renewal, city_campaign, places):
    wrong = []
    for role in ROLES:
        client = signed_in(renewal[role])
        for path, expected in PAGES.items():
            status = client.get(path).status_code
            if status != expected[role]:
                wrong.append((path, role, status, expected[role]))
    assert wrong == []


def test_pages_show_what_was_set_up(renewal, city_campaign, places):
    office = signed_in(renewal["office"])
    listing = office.get("/city/renewal/").content.decode()
    for code in ("GX-HD-01", "GX-HD-02", "GX-ZJ-01"):
        assert 'data-project="{}"'.format(code) in listing
    assert "拆违治乱攻坚行动" in office.get("/city/campaigns/").content.decode()
    places_page = office.get("/city/places/").content.decode()
    assert "黄岛老城区城市管理示范区" in places_page and "长江中路精品道路" in places_page
    # A reporter's list holds their unit's projects only.
    listing = signed_in(renewal["reporter_hdjd"]).get("/city/renewal/").content.decode()
    assert 'data-project="GX-HD-01"' in listing and 'data-project="GX-ZJ-01"' not in listing
    # The projects task force sees the city work's lists empty of other units' work.
    listing = signed_in(renewal["tf_projects"]).get("/city/renewal/").content.decode()
    assert 'data-project="GX-HD-01"' not in listing
    # The navigation leads to the third battle's page.
    assert 'href="/city/"' in office.get("/").content.decode()


def test_the_openapi_document_describes_the_weekly_work(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/renewal-projects",
        "/api/v1/renewal-reports/{report_id}/verify",
        "/api/v1/city-campaigns/{code}/reports",
        "/api/v1/city-places/{code}/accept",
        "/api/v1/city/weekly",
    ):
        assert path in paths, path


def test_the_weekly_work_is_on_the_one_map_as_each_sees_it(renewal, places):
    from tests.citywork.conftest import token_client

    office = token_client(renewal["office"])
    names = [layer["name"] for layer in office.get("/api/v1/map/layers").json()]
    assert {"renewal", "zones", "roads"} <= set(names)
    # The old door of the city work's own layers is gone: the map's registry serves them.
    assert office.get("/api/v1/city-layers/renewal").status_code == 404
    reporter = token_client(renewal["reporter_hdjd"])
    data = reporter.get("/api/v1/map/layers/renewal").json()
    assert data["type"] == "FeatureCollection"
    labels = {f["properties"]["label"].split()[0] for f in data["features"]}
    assert labels == {"GX-HD-01", "GX-HD-02"}
    point = next(f for f in data["features"] if f["properties"]["label"].startswith("GX-HD-01"))
    assert point["geometry"] == {"type": "Point", "coordinates": [120.1912, 35.9601]}
    assert point["properties"]["url"] == "/city/renewal/p/GX-HD-01/"
    assert point["properties"]["light"] in ("red", "yellow", "green", "grey")
    # The projects task force sees the city work of no unit it reports for, on the map too.
    tf = token_client(renewal["tf_projects"]).get("/api/v1/map/layers/renewal").json()
    assert not any("GX-HD-01" in f["properties"]["label"] for f in tf["features"])
    roads = office.get("/api/v1/map/layers/roads").json()
    assert [f["geometry"]["type"] for f in roads["features"]] == ["LineString"]
    zones = office.get("/api/v1/map/layers/zones").json()
    assert {f["geometry"]["type"] for f in zones["features"]} <= {"Polygon", "MultiPolygon"}
    assert zones["features"]
    # A view that holds only Xuejiadao: the housing bureau's project.
    box = office.get("/api/v1/map/layers/renewal?bbox=120.22,36.0,120.24,36.02").json()
    assert [f["properties"]["label"].split()[0] for f in box["features"]] == ["GX-ZJ-01"]
    bad = office.get("/api/v1/map/layers/renewal?bbox=abc")
    assert bad.status_code == 422 and "经度" in bad.json()["message"]
    export = office.get("/api/v1/map/layers/zones/export")
    assert export.status_code == 200
    assert "黄岛老城区城市管理示范区" in b"".join(export.streaming_content).decode()
