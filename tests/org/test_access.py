"""A reporter of one unit cannot see or change another unit's data, by any door."""

import io

import pytest
from openpyxl import load_workbook

from vanguard.accounts.tokens import do_create_token
from vanguard.org.models import Person


@pytest.fixture
def bearer(client):
    def _bearer(user):
        return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}

    return _bearer


def test_a_reporter_sees_their_own_unit_page(login, fgj_reporter, hdjd_reporter, fgj):
    client = login(fgj_reporter)
    response = client.get("/org/units/fgj/")
    assert response.status_code == 200
    assert "张填报" in response.content.decode()


def test_a_reporter_gets_404_for_another_units_page(login, fgj_reporter, hdjd_reporter, hdjd):
    client = login(fgj_reporter)
    response = client.get("/org/units/hdjd/")
    assert response.status_code == 404
    assert "赵街道" not in response.content.decode()


def test_a_reporter_lists_only_their_own_units_people(login, fgj_reporter, hdjd_reporter):
    content = login(fgj_reporter).get("/org/people/").content.decode()
    assert "张填报" in content
    assert "赵街道" not in content


def test_a_reporters_excel_export_holds_only_their_own_unit(login, fgj_reporter, hdjd_reporter):
    response = login(fgj_reporter).get("/org/people/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["张填报"]


def test_the_api_hides_another_units_people_and_unit(client, bearer, fgj_reporter, hdjd_reporter):
    headers = bearer(fgj_reporter)
    people = client.get("/api/v1/people", **headers).json()
    assert [p["name"] for p in people["items"]] == ["张填报"]
    assert client.get("/api/v1/people?unit=hdjd", **headers).json()["items"] == []
    response = client.get("/api/v1/units/hdjd", **headers)
    assert response.status_code == 404
    assert "message" in response.json()
    units = client.get("/api/v1/units", **headers).json()
    assert [u["code"] for u in units["items"]] == ["fgj"]


def test_a_reporter_cannot_enter_the_admin(login, fgj_reporter, hdjd_reporter, hdjd):
    client = login(fgj_reporter)
    person = Person.objects.get(user=hdjd_reporter)
    response = client.get("/admin/org/person/{}/change/".format(person.pk))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    response = client.post(
        "/admin/org/person/{}/change/".format(person.pk), {"name": "改掉", "post": "x"}
    )
    assert Person.objects.get(pk=person.pk).name == "赵街道"


def test_an_office_clerk_and_a_leader_see_every_unit(login, office_clerk, leader, fgj, hdjd):
    for user in (office_clerk, leader):
        content = login(user).get("/org/units/").content.decode()
        assert "区发展和改革局" in content and "黄岛街道" in content


def test_an_account_without_a_role_sees_nothing(client, bearer, fgj, db):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("nobody", password="x-long-password-1")
    headers = bearer(nobody)
    assert client.get("/api/v1/units", **headers).json()["items"] == []


def test_the_api_refuses_a_missing_or_wrong_token_with_a_json_message(client, fgj):
    response = client.get("/api/v1/units")
    assert response.status_code == 401
    assert "Bearer" in response.json()["message"]
    response = client.get("/api/v1/units", HTTP_AUTHORIZATION="Bearer vg_wrong")
    assert response.status_code == 401
