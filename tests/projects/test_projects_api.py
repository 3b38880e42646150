"""The projects API: the same doors as the pages, with tokens."""

import pytest
from django.utils import timezone

from vanguard.accounts.tokens import do_create_token
from vanguard.projects.models import DekadReport


def bearer(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_reporter_lists_only_their_units_projects(
    client, fgj_reporter, fgj_project, hdjd_project
):
    body = client.get("/api/v1/projects", **bearer(fgj_reporter)).json()
    assert [p["code"] for p in body["items"]] == ["XHA-0001"]
    assert client.get("/api/v1/projects/XHA-0002", **bearer(fgj_reporter)).status_code == 404


def test_a_project_comes_with_its_seven_milestones(client, leader, fgj_project):
    body = client.get("/api/v1/projects/XHA-0001", **bearer(leader)).json()
    assert [m["node"] for m in body["milestones"]][:2] == ["project_approval", "land_use"]
    assert body["size_class"] == "size_1e8"


def test_submit_certify_and_return_through_the_api(
    client, fgj_reporter, projects_member, fgj_project, today
):
    response = client.post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "桩基施工", "investment_yuan": 2_000_000, "blockers": ["环评批复未下达"]},
        content_type="application/json",
        **bearer(fgj_reporter),
    )
    assert response.status_code == 201, response.json()
    report_id = response.json()["id"]
    queue = client.get("/api/v1/reports?status=submitted", **bearer(projects_member)).json()
    assert [r["id"] for r in queue["items"]] == [report_id]
    response = client.post(
        "/api/v1/reports/certify",
        {"ids": [report_id]},
        content_type="application/json",
        **bearer(projects_member),
    )
    assert response.status_code == 200
    assert response.json()["certified"][0]["status"] == "certified"
    assert response.json()["refused"] == []
    again = client.post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "再报"},
        content_type="application/json",
        **bearer(fgj_reporter),
    )
    assert again.status_code == 422
    assert "XHA-0001" in again.json()["message"]


def test_bad_input_through_the_api_names_the_field_and_writes_nothing(
    client, fgj_reporter, fgj_project
):
    response = client.post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "x", "investment_yuan": -5, "node_dates": {"land_use": "2099-01-01"}},
        content_type="application/json",
        **bearer(fgj_reporter),
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) >= {"investment_yuan", "node_dates"}
    assert not DekadReport.objects.exists()


def test_a_reporter_cannot_report_on_or_certify_another_units_project(
    client, fgj_reporter, hdjd_reporter, fgj_project, today
):
    response = client.post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "x"},
        content_type="application/json",
        **bearer(hdjd_reporter),
    )
    assert response.status_code == 404
    ok = client.post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "x"},
        content_type="application/json",
        **bearer(fgj_reporter),
    )
    response = client.post(
        "/api/v1/reports/certify",
        {"ids": [ok.json()["id"]]},
        content_type="application/json",
        **bearer(fgj_reporter),
    )
    assert response.status_code == 403


def test_the_answer_to_a_filing_or_a_correction_is_the_report_as_it_reads_afterwards(
    client, fgj_reporter, projects_member, fgj_project, today
):
    """The answer is made from what the filing wrote: it must read as the report does."""
    filed = client.post(
        "/api/v1/projects/XHA-0001/reports",
        {
            "progress": "立项批复已取得",
            "investment_yuan": 3_000_000,
            "node_dates": {"project_approval": today.isoformat()},
            "blockers": ["用地指标未落实"],
        },
        content_type="application/json",
        **bearer(fgj_reporter),
    )
    assert filed.status_code == 201, filed.json()
    report_id = filed.json()["id"]
    assert filed.json()["node_dates"] == {"project_approval": today.isoformat()}
    assert [p["title"] for p in filed.json()["problems"]] == ["用地指标未落实"]
    read = client.get("/api/v1/reports/{}".format(report_id), **bearer(fgj_reporter))
    assert filed.json() == read.json()

    certified = client.post(
        "/api/v1/reports/certify",
        {"ids": [report_id]},
        content_type="application/json",
        **bearer(projects_member),
    )
    assert certified.status_code == 200, certified.json()
    corrected = client.post(
        "/api/v1/reports/{}/correction".format(report_id),
        {"progress": "立项批复已取得（更正）", "investment_yuan": 2_500_000, "reason": "口径调整"},
        content_type="application/json",
        **bearer(fgj_reporter),
    )
    assert corrected.status_code == 201, corrected.json()
    assert corrected.json()["supersedes"] == report_id
    assert [p["title"] for p in corrected.json()["problems"]] == ["用地指标未落实"]
    read = client.get("/api/v1/reports/{}".format(corrected.json()["id"]), **bearer(fgj_reporter))
    assert corrected.json() == read.json()
