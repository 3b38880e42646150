"""An API client gets JSON with a message in words for every error, never an HTML page:
unknown addresses, wrong methods, server errors (tests/projects/test_conflicts_in_words.py
has the writes the database refuses and the missing CSRF token). Pages get a page."""

import pytest
from django.test import Client

from vanguard.accounts.tokens import do_create_token


@pytest.fixture
def headers(leader):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token("leader")}


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


def test_an_unknown_api_address_is_a_json_404(db, headers):
    body = json_error(failing_client().get("/api/v1/no-such-thing", **headers), 404)
    assert "/api/v1/no-such-thing" in body["message"]


def test_a_wrong_method_is_a_json_405_that_says_which_are_allowed(db, headers):
    response = failing_client().delete("/api/v1/campaigns", **headers)
    body = json_error(response, 405)
    assert "GET" in body["message"] and "GET" in response["Allow"]


def test_a_server_error_in_the_api_is_json(db, headers, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("vanguard.org.api.restrict", broken)
    body = json_error(failing_client().get("/api/v1/campaigns", **headers), 500)
    assert "a bug" not in body["message"]


def test_a_page_not_found_is_still_a_page(db):
    response = failing_client().get("/projects/p/NOPE/")
    assert response.status_code in (302, 404)
    assert not response["Content-Type"].startswith("application/json")
