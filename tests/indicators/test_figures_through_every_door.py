"""A month's figures entered through each door open on every page, export and API read.

The figures go in as the statistics bureau enters them (the form, the API, its
table), are revised, and then every page that shows them is opened by each role.
"""

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.indicators.conftest import TODAY
from tests.indicators.test_import_pages import apply, upload
from tests.indicators.workbooks import statistics_table
from vanguard.accounts.tokens import do_create_token
from vanguard.indicators.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_and_today(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def browser(user):
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def enter_by_form(reporter):
    client = browser(reporter)
    for growth, revises in (("5.1", ""), ("5.3", "1")):
        data = {"area": "district", "month": "2026-10", "level": "812.4", "growth_pct": growth}
        if revises:
            data.update(revises=revises, reason="统计局修订")
        response = client.post("/indicators/retail_sales/enter/", data)
        assert response.status_code == 302, response.content.decode()[:2000]


def enter_by_api(reporter):
    token = "Bearer " + do_create_token(reporter.username)
    for growth, extra in (("5.1", {}), ("5.3", {"revises": 1, "reason": "统计局修订"})):
        body = {"indicator": "retail_sales", "area": "district", "month": "2026-10"}
        body.update(level="812.4", growth_pct=growth, **extra)
        response = Client().post(
            "/api/v1/observations", body, content_type="application/json",
            HTTP_AUTHORIZATION=token,
        )  # fmt: skip
        assert response.status_code in (200, 201), response.content.decode()


def enter_by_table(reporter):
    client = browser(reporter)
    preview = upload(client, statistics_table())
    assert preview.status_code == 200
    assert apply(client, preview).status_code == 302


DOORS = {"form": enter_by_form, "api": enter_by_api, "table": enter_by_table}

PAGES = [
    "/indicators/",
    "/indicators/?month=2026-10",
    "/indicators/retail_sales/",
    "/indicators/forecast/",
    "/indicators/pack/",
    "/indicators/pack.docx",
    "/indicators/pack.xlsx",
    "/indicators/export.xlsx",
    "/",
]

API_READS = [
    "/api/v1/observations?indicator=retail_sales&history=true",
    "/api/v1/indicators",
]


@pytest.mark.parametrize("door", DOORS)
def test_figures_entered_by_each_door_open_everywhere_for_every_role(
    door, plan, tjj_reporter, indicators_member, office_clerk, leader, inspector
):
    DOORS[door](tjj_reporter)
    assert Observation.objects.current().filter(indicator__code="retail_sales").exists()

    for user in (tjj_reporter, indicators_member, office_clerk, leader):
        client = browser(user)
        for url in PAGES:
            assert client.get(url).status_code == 200, (door, user.username, url)
        token = "Bearer " + do_create_token(user.username)
        for url in API_READS:
            response = Client().get(url, HTTP_AUTHORIZATION=token)
            assert response.status_code == 200, (door, user.username, url)

    client = browser(inspector)
    for url in PAGES:
        assert client.get(url).status_code in (200, 403, 404), url


def enterprise_by_form(reporter, enterprise, gxj):
    client = browser(reporter)
    url = "/indicators/enterprises/{}/".format(enterprise.credit_code)
    figure = {"form": "figure", "month": "2026-10", "value_wan": "880.5", "last_year_wan": "800"}
    assert client.post(url, figure).status_code == 302
    visit = {
        "form": "visit", "visited_on": "2026-11-20", "visitors": "赵街道",
        "findings": "新产线调试中", "blockers": "厂区道路破损", "blocker_unit": gxj.pk,
    }  # fmt: skip
    assert client.post(url, visit).status_code == 302


def enterprise_by_api(reporter, enterprise, gxj):
    token = "Bearer " + do_create_token(reporter.username)
    base = "/api/v1/enterprises/{}/".format(enterprise.credit_code)
    for path, body in (
        ("months", {"month": "2026-10", "value_yuan": 8_805_000, "last_year_yuan": 8_000_000}),
        ("visits", {"visited_on": "2026-11-20", "visitors": "赵街道",
                    "blockers": [{"title": "厂区道路破损", "unit": "gxj"}]}),
    ):  # fmt: skip
        response = Client().post(
            base + path, body, content_type="application/json", HTTP_AUTHORIZATION=token
        )
        assert response.status_code == 201, response.content.decode()


@pytest.mark.parametrize("door", [enterprise_by_form, enterprise_by_api], ids=["form", "api"])
def test_an_enterprises_figures_and_visits_open_everywhere_for_every_role(
    door, enterprise, hdjd_reporter, gxj, indicators_member, office_clerk, leader, inspector
):
    door(hdjd_reporter, enterprise, gxj)
    pages = [
        "/indicators/enterprises/{}/".format(enterprise.credit_code),
        "/indicators/enterprises/",
        "/indicators/enterprises/export.xlsx",
        "/indicators/enterprises/problems/",
        "/indicators/sectors/",
        "/indicators/pack/",
        "/indicators/pack.docx",
        "/indicators/pack.xlsx",
        "/indicators/forecast/",
    ]
    for user in (hdjd_reporter, indicators_member, office_clerk, leader):
        client = browser(user)
        for url in pages:
            status = client.get(url).status_code
            if user is hdjd_reporter and ("pack" in url or "forecast" in url):
                assert status in (200, 403), url  # the headquarters' material
            else:
                assert status == 200, (user.username, url)
        token = "Bearer " + do_create_token(user.username)
        for url in ("/api/v1/enterprise-problems", "/api/v1/enterprises"):
            assert Client().get(url, HTTP_AUTHORIZATION=token).status_code == 200, url
    client = browser(inspector)
    for url in pages:
        assert client.get(url).status_code in (200, 403, 404), url
