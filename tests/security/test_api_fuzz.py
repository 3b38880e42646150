"""Every API operation, called with inputs generated from the OpenAPI document, never answers
with a server error: bad input gets a 4xx that says what is wrong."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from tests.projects import conftest as projects_fixtures
from vanguard.accounts.tokens import do_create_token

# The campaign and a project of the projects tests, so that some paths find real rows.
plan = projects_fixtures.plan
fgj_project = projects_fixtures.fgj_project

# Few examples per operation, the same ones on every run: a bounded, repeatable sweep.
FUZZ = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app(db):
    # As Django's test client does: the test's connection stays open across requests.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_no_operation_answers_with_a_server_error(
    wsgi_app, fgj_project, office_clerk, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    headers = {"Authorization": "Bearer " + do_create_token(office_clerk.username)}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    server_errors = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @FUZZ
        @given(case=operation.as_strategy())
        def call(case):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                server_errors.append(
                    "{} {} → {}".format(case.method, case.formatted_path, response.status_code)
                )

        call()
    assert operations > 20
    assert server_errors == []


def test_the_city_cases_operations_on_a_real_case_never_answer_with_a_server_error(
    wsgi_app, plan, office_clerk, settings, tmp_path
):
    """The cases' operations again, their case number pointing at a real dispatched case, so
    the generated bodies reach the steps themselves (versions, units, times, reasons)."""
    from django.test import Client

    from vanguard.citywork.case_defaults import ensure_case_categories
    from vanguard.org.choices import UnitKind
    from vanguard.org.models import Unit

    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_case_categories()
    Unit.objects.create(code="hdjd", name="黄岛街道", kind=UnitKind.STREET)
    token = do_create_token(office_clerk.username)
    client = Client(HTTP_AUTHORIZATION="Bearer " + token)
    report = {
        "source": "patrol",
        "category": "exposed-garbage",
        "lon": 120.1912,
        "lat": 35.9601,
        "description": "垃圾堆放",
    }
    created = client.post("/api/v1/city/cases", report, content_type="application/json")
    assert created.status_code == 201, created.content.decode()
    number = created.json()["number"]
    dispatched = client.post(
        "/api/v1/city/cases/{}/dispatch".format(number),
        {"unit": "hdjd", "version": created.json()["version"]},
        content_type="application/json",
    )
    assert dispatched.status_code == 200, dispatched.content.decode()
    # The test client connects the closing of connections again after each request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    server_errors = []
    operations = 0
    for result in schema.include(path_regex="^/api/v1/city/case").get_all_operations():
        operation = result.ok()
        operations += 1

        @FUZZ
        @given(case=operation.as_strategy())
        def call(case):
            if "number" in (case.path_parameters or {}):
                case.path_parameters["number"] = number
            response = case.call(headers={"Authorization": "Bearer " + token})
            if response.status_code >= 500:
                server_errors.append(
                    "{} {} → {}".format(case.method, case.formatted_path, response.status_code)
                )

        call()
    assert operations >= 14
    assert server_errors == []


def test_the_patrols_and_activities_operations_on_real_ones_never_answer_with_a_server_error(
    wsgi_app, plan, office_clerk, settings, tmp_path
):
    """The patrols' and volunteer activities' operations again, their ids pointing at a real
    open patrol, its case and a planned activity, so the generated bodies and forms reach
    the actions (locations, photos, decisions, versions, times)."""
    from django.test import Client

    from vanguard.citywork.case_defaults import ensure_case_categories
    from vanguard.org.choices import UnitKind
    from vanguard.org.models import Unit

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    ensure_case_categories()
    Unit.objects.create(code="hdjd", name="黄岛街道", kind=UnitKind.STREET)
    token = do_create_token(office_clerk.username)
    client = Client(HTTP_AUTHORIZATION="Bearer " + token)
    patrol = client.post("/api/v1/city/patrols", {"area": "黄岛"}, content_type="application/json")
    assert patrol.status_code == 201, patrol.content.decode()
    case = client.post(
        "/api/v1/city/cases",
        {
            "source": "patrol",
            "category": "exposed-garbage",
            "lon": 120.1912,
            "lat": 35.9601,
            "description": "垃圾堆放",
        },
        content_type="application/json",
    )
    assert case.status_code == 201, case.content.decode()
    activity = client.post(
        "/api/v1/city/activities",
        {
            "title": "洁净家园",
            "kind": "cleanup",
            "starts_at": "2026-06-01T09:00:00",
            "address": "黄岛路",
            "lon": 120.1912,
            "lat": 35.9601,
            "unit": "hdjd",
            "capacity": 10,
        },
        content_type="application/json",
    )
    assert activity.status_code == 201, activity.content.decode()
    ids = {
        "patrol_id": patrol.json()["id"],
        "number": case.json()["number"],
        "activity_id": activity.json()["id"],
    }
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    server_errors = []
    operations = 0
    wanted = schema.include(path_regex="^/api/v1/city/(patrol|activit)")
    for result in wanted.get_all_operations():
        operation = result.ok()
        operations += 1

        @FUZZ
        @given(case=operation.as_strategy())
        def call(case):
            for name, value in ids.items():
                if name in (case.path_parameters or {}):
                    case.path_parameters[name] = value
            response = case.call(headers={"Authorization": "Bearer " + token})
            if response.status_code >= 500:
                server_errors.append(
                    "{} {} → {}".format(case.method, case.formatted_path, response.status_code)
                )

        call()
    assert operations >= 14
    assert server_errors == []


@pytest.mark.parametrize("path", ["/api/v1/units", "/api/v1/task-forces", "/api/v1/projects"])
def test_a_page_number_beyond_any_list_is_refused_not_a_server_error(
    client, office_clerk, fgj_project, path
):
    headers = {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(office_clerk.username)}
    response = client.get(path, {"page": 1560419940381444352}, **headers)
    assert response.status_code == 422
    assert "page" in response.content.decode()
    assert client.get(path, {"page": 1000000}, **headers).status_code == 200
