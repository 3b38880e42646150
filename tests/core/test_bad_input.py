"""Overflowing numbers and impossible dates get a clear 400 or 404, never a 500.

An office clerk walks addresses a careless link, a script or a fuzzer would send:
ids and page numbers beyond 2^63, year 0 and year 1, months past year 9999.
"""

import re

import pytest

from tests.projects.conftest import fgj_project, plan  # noqa: F401
from vanguard.blockers.models import Blocker
from vanguard.projects.models import DekadReport

HUGE = "99999999999999999999"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

PAGE_URLS = [
    "/projects/?page=" + HUGE,
    "/projects/reports/" + HUGE + "/",
    "/projects/certification/?page=" + HUGE,
    "/org/units/?page=" + HUGE,
    "/org/people/?page=" + HUGE,
    "/indicators/enterprises/?page=" + HUGE,
    "/indicators/enterprises/problems/?page=" + HUGE,
    "/indicators/sectors/" + HUGE + "/edit/",
    "/indicators/?month=0000-01",
    "/indicators/?month=0001-01",
    "/indicators/forecast/?month=9999-12",
    "/indicators/export.xlsx?month=0001-01",
    "/projects/progress/?month=0001-01",
    "/projects/progress/export.xlsx?month=9999-12",
    "/projects/certification/?period=0001-01-D1",
    "/projects/p/XHA-0001/report/?period=0001-01-D1",
    "/indicators/?month=9999-12",
    "/indicators/pack/?month=9999-12",
    "/indicators/pack.docx?month=9999-12",
    "/indicators/pack.xlsx?month=9999-12",
    "/projects/reports/excel/?period=0000-01-D1",
    "/projects/reports/excel/?period=9999-12-D3",
    "/projects/?campaign=" + HUGE,
    "/campaigns/" + HUGE + "/",
    "/city/cases/AJ" + HUGE + "/",
    "/city/cases/" + HUGE + "/",
    "/city/cases/categories/" + HUGE + "/edit/",
]

REPORTER_URLS = [
    "/projects/p/XHA-0001/report/?period=0000-01-D1",
    "/projects/p/XHA-0001/report/?period=2025-12-D1",
    "/projects/p/XHA-0001/report/?period=9999-12-D3",
    "/projects/p/XHA-0001/report/?period=" + HUGE,
]

API_URLS = [
    "/api/v1/projects/" + HUGE,
    "/api/v1/projects?page=" + HUGE,
    "/api/v1/projects?offset=" + HUGE,
    "/api/v1/reports/" + HUGE,
    "/api/v1/reports?period=0000-01-D1",
    "/api/v1/observations?month=0001-01-01",
    "/api/v1/targets?year=0",
    "/api/v1/observations/" + HUGE,
    "/api/v1/lights/project/" + HUGE + "/history",
    "/api/v1/periods?year=0",
    "/api/v1/periods?year=1",
    "/api/v1/periods?year=-5",
    "/api/v1/periods?year=" + HUGE,
    "/api/v1/periods?year=10000",
    "/api/v1/periods?year=2026&working_days_after=" + HUGE,
    "/api/v1/periods?year=2026&working_days_after=100000",
    "/api/v1/enterprises/" + HUGE,
    "/api/v1/units/" + HUGE,
    "/api/v1/city/cases/AJ" + HUGE,
    "/api/v1/city/cases?page=" + HUGE,
]


def assert_refused_in_chinese(response, url):
    assert response.status_code in {400, 404}, (url, response.status_code)
    body = response.content.decode()
    if url.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json"), url
        body = response.json()["message"]
    assert CHINESE.search(body), (url, body[:300])


@pytest.mark.usefixtures("fgj_project")
def test_overflowing_numbers_and_impossible_dates_get_400_or_404_in_chinese(
    client, login, office_clerk
):
    login(office_clerk)
    for url in PAGE_URLS + API_URLS:
        assert_refused_in_chinese(client.get(url), url)


@pytest.mark.usefixtures("fgj_project")
def test_a_report_on_an_impossible_dekad_is_refused_and_writes_nothing(client, login, fgj_reporter):
    login(fgj_reporter)
    for url in REPORTER_URLS:
        assert client.get(url).status_code in {200, 400}, url
        response = client.post(url, {"progress": "推进中", "investment_wan": "0"})
        assert response.status_code in {200, 400}, url
        assert CHINESE.search(response.content.decode()), url
    assert (
        "早于攻坚行动的开始日期"
        in client.post(
            REPORTER_URLS[1], {"progress": "推进中", "investment_wan": "0"}
        ).content.decode()
    )
    assert DekadReport.objects.count() == 0


@pytest.mark.usefixtures("fgj_project")
def test_an_amount_no_column_can_hold_is_refused_in_json(client, login, fgj_reporter):
    login(fgj_reporter)
    response = client.post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "推进中", "investment_yuan": int(HUGE)},
        content_type="application/json",
    )
    assert response.status_code in {400, 422}
    assert CHINESE.search(response.json()["message"])
    assert DekadReport.objects.count() == 0


def problems(n):
    return ["问题{}".format(i) for i in range(n)]


@pytest.mark.usefixtures("fgj_project")
def test_a_report_naming_more_than_50_problems_is_refused_and_writes_nothing(
    client, login, fgj_reporter
):
    login(fgj_reporter)
    response = client.post(
        "/projects/p/XHA-0001/report/",
        {"progress": "推进中", "investment_wan": "0", "blockers": "\n".join(problems(51))},
    )
    assert response.status_code == 200
    assert "最多" in response.content.decode()
    api = client.post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "推进中", "blockers": problems(51)},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert "50" in api.json()["message"]
    assert DekadReport.objects.count() == 0
    assert Blocker.objects.count() == 0

    fifty = client.post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "推进中", "blockers": problems(50)},
        content_type="application/json",
    )
    assert fifty.status_code == 201, fifty.content.decode()
    assert Blocker.objects.count() == 50


@pytest.mark.usefixtures("fgj_project")
def test_a_form_too_large_is_refused_with_400(client, login, fgj_reporter, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    login(fgj_reporter)
    fields = {"field{}".format(i): "x" for i in range(150)}
    response = client.post("/projects/p/XHA-0001/report/", {"progress": "推进中", **fields})
    assert response.status_code == 400
    assert "请求内容过大" in response.content.decode()


def test_the_request_size_is_capped(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 5000


@pytest.mark.usefixtures("fgj_project")
def test_dates_in_year_one_are_refused_in_the_form_and_the_api(client, login, fgj_reporter):
    login(fgj_reporter)
    response = client.post(
        "/projects/p/XHA-0001/report/",
        {
            "progress": "推进中",
            "investment_wan": "0",
            "stage_reached": "started",
            "stage_date": "0001-01-01",
        },
    )
    assert response.status_code == 200
    assert "0001-01-01 不是可能的日期" in response.content.decode()
    api = client.post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "推进中", "node_dates": {"land_use": "0001-01-01"}},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert "不是可能的日期" in api.json()["message"]
    assert DekadReport.objects.count() == 0
