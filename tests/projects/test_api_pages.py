"""An API list tells how many items it holds; a page that shows them all counts itself."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vanguard.accounts.tokens import do_create_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(office_clerk, fgj_project, hdjd_project):
    token = "Bearer " + do_create_token(office_clerk.username)

    def get(query):
        with CaptureQueriesContext(connection) as sent:
            response = Client().get("/api/v1/projects?" + query, HTTP_AUTHORIZATION=token)
        assert response.status_code == 200, response.content.decode()
        counted = [q for q in sent.captured_queries if "COUNT(" in q["sql"].upper()]
        body = response.json()
        return body["count"], [item["code"] for item in body["items"]], len(counted)

    return get


def test_a_page_holding_every_item_counts_them_without_a_count_query(api):
    count, codes, counted = api("page_size=10")
    assert (count, len(codes)) == (2, 2)
    assert counted == 0


def test_a_full_page_and_a_page_past_the_end_still_count_every_item(api):
    first = api("page_size=1")
    second = api("page_size=1&page=2")
    past = api("page_size=1&page=3")
    assert [first[0], second[0], past[0]] == [2, 2, 2]
    assert first[1] != second[1] and past[1] == []
    assert first[2] == 1 and past[2] == 1
