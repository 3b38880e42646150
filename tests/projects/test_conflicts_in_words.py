"""A write the database refuses because someone else wrote at the same moment is answered
in words, JSON to an API client and a page to a browser, never a server error; so is a
browser's API change without its CSRF token."""

import psycopg
from django.db import IntegrityError, OperationalError
from django.test import Client

from vanguard.accounts.tokens import do_create_token


def chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def json_error(response, status):
    assert response.status_code == status, response.content.decode()[:500]
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    message = response.json()["message"]
    assert chinese(message), message
    return response.json()


def failing_client():
    # A server error comes back as the response a client would get, not as an exception.
    return Client(raise_request_exception=False)


def test_an_integrity_error_in_the_api_is_a_json_409(monkeypatch, fgj_reporter, fgj_project):
    def collides(*args, **kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "x"')

    monkeypatch.setattr("vanguard.projects.api.do_submit_report", collides)
    response = failing_client().post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "桩基施工"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + do_create_token(fgj_reporter.username),
    )
    body = json_error(response, 409)
    assert "retry" not in body and "duplicate" not in body["message"]


def deadlock():
    error = OperationalError("deadlock detected")
    error.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    return error


def test_a_broken_deadlock_is_a_json_409_that_may_be_sent_again(
    monkeypatch, fgj_reporter, fgj_project
):
    def stuck(*args, **kwargs):
        raise deadlock()

    monkeypatch.setattr("vanguard.projects.api.do_submit_report", stuck)
    response = failing_client().post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "桩基施工"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + do_create_token(fgj_reporter.username),
    )
    assert json_error(response, 409)["retry"] is True


def test_a_busy_database_is_a_json_503_with_retry_after(monkeypatch, fgj_reporter, fgj_project):
    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("vanguard.projects.api.do_submit_report", busy)
    response = failing_client().post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "桩基施工"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + do_create_token(fgj_reporter.username),
    )
    assert json_error(response, 503)["retry"] is True
    assert response["Retry-After"].isdigit()


def test_a_session_change_without_its_csrf_token_is_a_json_403_in_words(fgj_reporter, fgj_project):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(fgj_reporter)
    response = browser.post(
        "/api/v1/projects/XHA-0001/reports", {"progress": "x"}, content_type="application/json"
    )
    body = json_error(response, 403)
    assert "CSRF" in body["message"]


def test_a_page_whose_write_collides_answers_409_in_words_not_500(
    monkeypatch, fgj_reporter, fgj_project
):
    def collides(*args, **kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr("vanguard.projects.views.reports.do_submit_report", collides)
    browser = failing_client()
    browser.force_login(fgj_reporter)
    response = browser.post(
        "/projects/p/XHA-0001/report/", {"progress": "主体施工", "investment_wan": "1"}
    )
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert chinese(response.content.decode())
