"""The API: token auth, OpenAPI, pagination, JSON errors, targets and periods."""

import pytest
from django.core.management import call_command

from vanguard.accounts.tokens import do_create_token


@pytest.fixture
def headers(leader):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token("leader")}


def test_the_token_command_prints_a_token_that_authenticates(client, leader, capsys):
    call_command("token", "create", "leader", "--name", "报表脚本")
    token = capsys.readouterr().out.strip()
    assert token.startswith("vg_")
    response = client.get("/api/v1/campaigns", HTTP_AUTHORIZATION="Bearer " + token)
    assert response.status_code == 200


def test_the_token_command_names_an_unknown_account(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="ghost"):
        call_command("token", "create", "ghost", "--name", "x")


def test_the_openapi_document_is_served(client, db):
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/targets" in document["paths"]
    assert "/api/v1/periods" in document["paths"]


def test_lists_are_paginated(client, headers, campaign, task_forces):
    body = client.get("/api/v1/task-forces", **headers).json()
    assert body["count"] == 3
    assert {item["battle"] for item in body["items"]} == {"indicators", "projects", "citywork"}


def test_periods_give_holiday_aware_due_dates(client, headers):
    body = client.get("/api/v1/periods?year=2025&kind=month", **headers).json()
    september = next(p for p in body if p["label"] == "2025-09")
    # September ends on a Tuesday; October 1-8 is the National Day holiday.
    assert september["due"] == "2025-10-09"


def test_a_bad_period_kind_gets_a_json_message(client, headers):
    response = client.get("/api/v1/periods?year=2025&kind=fortnight", **headers)
    assert response.status_code == 422
    assert "fortnight" in response.json()["message"]


def test_an_uncovered_year_gets_a_message_naming_it(client, headers):
    response = client.get("/api/v1/periods?year=2031&kind=month", **headers)
    assert response.status_code == 422
    assert "2031" in response.json()["message"]


def test_the_api_serves_the_plans_targets_with_their_checkpoints(client, headers, settings):
    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    body = client.get("/api/v1/targets?campaign=xihaian-2026&battle=projects", **headers).json()
    by_code = {t["code"]: t for t in body["items"]}
    year = by_code["projects-introduced-1e8-2026"]
    assert float(year["value"]) == 230
    q1 = next(c for c in year["checkpoints"] if c["period"] == "2026-Q1")
    assert float(q1["value"]) == 100
    assert body["count"] == 6
    one = client.get("/api/v1/targets/xihaian-2026/projects-started-2026-q1", **headers).json()
    assert float(one["value"]) == 257


def test_the_api_docs_load_swagger_from_our_own_static_files(client, db):
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn." not in page and "//unpkg" not in page
