"""The indicators API: the catalogue, observations listed, submitted and revised."""

from decimal import Decimal

import pytest

from tests.indicators.conftest import OCTOBER, SEPTEMBER, TODAY
from vanguard.accounts.tokens import do_create_token
from vanguard.indicators.actions import do_submit_observation
from vanguard.indicators.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def bearer(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}


def post(client, user, **payload):
    headers = {k: payload.pop(k) for k in list(payload) if k.startswith("HTTP_")}
    body = {"indicator": "retail_sales", "area": "district", "month": "2026-10", **payload}
    return client.post(
        "/api/v1/observations", body, content_type="application/json", **bearer(user), **headers
    )


@pytest.fixture
def figures(plan, indicator, area, tjj_reporter):
    retail = indicator("retail_sales")
    for level, month, value, growth in [
        ("district", SEPTEMBER, 730, "5.0"),
        ("district", OCTOBER, 810, "4.8"),
        ("city", OCTOBER, None, "4.6"),
    ]:
        do_submit_observation(
            retail, area(level), month, actor=tjj_reporter, level=value,
            growth_pct=Decimal(growth), today=TODAY,
        )  # fmt: skip
    do_submit_observation(
        retail, area("district"), OCTOBER, actor=tjj_reporter, level=812,
        growth_pct=Decimal("5.1"), revises=1, reason="修订", today=TODAY,
    )  # fmt: skip


def test_every_participant_lists_the_catalogue(client, plan, hdjd_reporter):
    body = client.get("/api/v1/indicators", **bearer(hdjd_reporter)).json()
    assert body["count"] == 7
    gdp = body["items"][0]
    assert (gdp["code"], gdp["frequency"], gdp["measure"]) == (
        "gdp",
        "quarterly",
        "indicators.gdp.growth",
    )
    assert gdp["comparators"] == ["city", "province"]
    one = client.get("/api/v1/indicators/retail_sales", **bearer(hdjd_reporter)).json()
    assert one["unit_of_measure"] == "亿元"
    areas = client.get("/api/v1/areas", **bearer(hdjd_reporter)).json()
    assert [a["level"] for a in areas["items"]] == ["district", "city", "province"]


def test_observations_filter_by_indicator_area_and_month(client, figures, leader):
    body = client.get(
        "/api/v1/observations?indicator=retail_sales&area=district&month=2026-10", **bearer(leader)
    ).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["version"], item["months"], item["unit_of_measure"]) == (2, "1-10月", "亿元")
    assert Decimal(item["level"]) == 812
    assert client.get("/api/v1/observations?month=2026-09", **bearer(leader)).json()["count"] == 1
    history = client.get(
        "/api/v1/observations?area=district&month=2026-10&history=true", **bearer(leader)
    ).json()
    assert [(o["version"], o["is_current"]) for o in history["items"]] == [(1, False), (2, True)]
    assert history["items"][1]["supersedes"] == history["items"][0]["id"]


def test_a_bad_month_filter_is_a_json_error(client, figures, leader):
    response = client.get("/api/v1/observations?month=October", **bearer(leader))
    assert response.status_code == 422
    assert "2026-10" in response.json()["message"]


def test_the_responsible_units_reporter_submits_and_revises_with_the_version(
    client, plan, tjj_reporter
):
    created = post(client, tjj_reporter, level="812.4", growth_pct="5.1")
    assert created.status_code == 201, created.json()
    assert created.json()["version"] == 1 and created.json()["source"] == "api"

    conflict = post(client, tjj_reporter, level="815", growth_pct="5.3")
    assert conflict.status_code == 409
    assert "第 1 版" in conflict.json()["message"]

    revised = post(client, tjj_reporter, level="815", growth_pct="5.3", revises=1, reason="修订")
    assert revised.status_code == 201
    assert (revised.json()["version"], revised.json()["supersedes"]) == (2, created.json()["id"])

    stale = post(client, tjj_reporter, level="816", growth_pct="5.4", revises=1)
    assert stale.status_code == 409
    same = post(client, tjj_reporter, level="815", growth_pct="5.30", revises=2)
    assert same.status_code == 200 and same.json()["version"] == 2


def test_bad_input_names_the_field(client, plan, tjj_reporter):
    response = post(client, tjj_reporter, month="2026-11", growth_pct="5")
    assert response.status_code == 422
    assert "month" in response.json()["fields"]
    response = post(client, tjj_reporter, indicator="gpd", area="nation", growth_pct="5")
    assert set(response.json()["fields"]) == {"indicator", "area"}
    response = post(client, tjj_reporter, indicator="industrial_value_added", level="5.2")
    assert "level" in response.json()["fields"]
    assert not Observation.objects.exists()


def test_a_reporter_of_another_unit_cannot_submit(client, plan, fgj_reporter):
    response = post(client, fgj_reporter, growth_pct="5", level="800")
    assert response.status_code == 403
    assert not Observation.objects.exists()


def test_the_openapi_document_describes_the_indicators(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/indicators", "/api/v1/observations", "/api/v1/areas"} <= set(paths)


def test_a_figure_revises_the_version_named_by_if_match(client, plan, tjj_reporter):
    post(client, tjj_reporter, level="812.4", growth_pct="5.1")
    revised = post(client, tjj_reporter, level="815", growth_pct="5.3", HTTP_IF_MATCH='"1"')
    assert revised.status_code == 201, revised.json()
    stale = post(client, tjj_reporter, level="816", growth_pct="5.4", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409
    assert "第 2 版" in stale.json()["message"]
