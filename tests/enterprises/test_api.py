"""The API of sectors, key enterprises, monthly figures, visits and their problems."""

import pytest

from tests.enterprises.fixtures import credit_code
from tests.indicators.conftest import TODAY
from vanguard.accounts.tokens import do_create_token
from vanguard.blockers.models import Blocker
from vanguard.enterprises.models import EnterpriseMonth, KeyEnterprise

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def bearer(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}


def post(client, user, url, body):
    return client.post(url, body, content_type="application/json", **bearer(user))


def months_url(enterprise):
    return "/api/v1/enterprises/{}/months".format(enterprise.credit_code)


def test_every_participant_lists_the_sectors(client, industry, hdjd_reporter):
    body = client.get("/api/v1/sectors", **bearer(hdjd_reporter)).json()
    assert body["count"] == 1
    sector = body["items"][0]
    assert (sector["name"], sector["responsible_unit"], sector["indicator"]) == (
        "工业",
        "gxj",
        "industrial_value_added",
    )
    assert sector["guidance_growth_pct"] == 8.0


def test_a_reporter_lists_and_gets_only_the_enterprises_their_unit_serves(
    client, enterprise, other_enterprise, hdjd_reporter, leader
):
    mine = client.get("/api/v1/enterprises", **bearer(hdjd_reporter)).json()
    assert [e["credit_code"] for e in mine["items"]] == [enterprise.credit_code]
    assert client.get("/api/v1/enterprises", **bearer(leader)).json()["count"] == 2

    other = "/api/v1/enterprises/{}".format(other_enterprise.credit_code)
    assert client.get(other, **bearer(hdjd_reporter)).status_code == 404
    refused = post(
        client, hdjd_reporter, months_url(other_enterprise), {"month": "2026-10", "value_yuan": 1}
    )
    assert refused.status_code == 404
    assert not EnterpriseMonth.objects.exists()


def test_a_month_is_submitted_revised_and_a_stale_revision_conflicts(
    client, enterprise, hdjd_reporter, indicators_member
):
    url = months_url(enterprise)
    first = post(client, hdjd_reporter, url, {"month": "2026-10", "value_yuan": 12_000_000})
    assert first.status_code == 201
    assert first.json()["version"] == 1

    missing = post(client, indicators_member, url, {"month": "2026-10", "value_yuan": 1})
    assert missing.status_code == 409
    revised = post(
        client, indicators_member, url,
        {"month": "2026-10", "value_yuan": 12_500_000, "revises": 1, "reason": "企业更正"},
    )  # fmt: skip
    assert (revised.status_code, revised.json()["version"]) == (200, 2)
    stale = post(client, hdjd_reporter, url, {"month": "2026-10", "value_yuan": 1, "revises": 1})
    assert stale.status_code == 409
    assert "version 2 by 孙专班 at" in stale.json()["message"]
    # The revision is a new row; the figure it replaced stays, no longer current.
    assert list(
        EnterpriseMonth.objects.order_by("version").values_list(
            "version", "value_yuan", "is_current", "source", "reason"
        )
    ) == [(1, 12_000_000, False, "api", ""), (2, 12_500_000, True, "api", "企业更正")]
    assert EnterpriseMonth.objects.current().get().supersedes.version == 1

    detail = client.get(
        "/api/v1/enterprises/{}".format(enterprise.credit_code), **bearer(hdjd_reporter)
    ).json()
    assert detail["months"] == [
        {
            "month": "2026-10",
            "value_yuan": 12_500_000,
            "last_year_yuan": None,
            "version": 2,
            "recorded_by": "tf_indicators",
            "recorded_at": detail["months"][0]["recorded_at"],
        }
    ]


def test_a_month_not_over_yet_is_refused_naming_the_month(client, enterprise, hdjd_reporter):
    response = post(
        client, hdjd_reporter, months_url(enterprise), {"month": "2026-11", "value_yuan": 5}
    )
    assert response.status_code == 422
    assert "month" in response.json()["fields"]
    assert "not over yet" in response.json()["message"]


def test_a_visit_with_problems_is_recorded_and_the_problems_listed_and_resolved(
    client, enterprise, hdjd_reporter, gxj
):
    response = post(
        client,
        hdjd_reporter,
        "/api/v1/enterprises/{}/visits".format(enterprise.credit_code),
        {
            "visited_on": "2026-11-10",
            "visitors": "赵街道",
            "findings": "产能利用率80%",
            "blockers": [{"title": "环评批复待下达", "unit": "gxj"}, {"title": "物流成本高"}],
        },
    )

    assert response.status_code == 201
    visit = response.json()
    assert [(b["title"], b["unit"], b["state"], b["days_open"]) for b in visit["blockers"]] == [
        ("环评批复待下达", "gxj", "open", 16),
        ("物流成本高", "hdjd", "open", 16),
    ]
    problems = client.get("/api/v1/enterprise-problems", **bearer(hdjd_reporter)).json()
    assert problems["count"] == 2

    blocker = Blocker.objects.get(title="物流成本高")
    resolved = post(
        client,
        hdjd_reporter,
        "/api/v1/enterprise-problems/{}/resolve".format(blocker.pk),
        {"resolution": "对接物流园区降费"},
    )
    assert resolved.json()["state"] == "resolved"


def test_a_visit_in_the_future_is_refused(client, enterprise, hdjd_reporter):
    response = post(
        client,
        hdjd_reporter,
        "/api/v1/enterprises/{}/visits".format(enterprise.credit_code),
        {"visited_on": "2026-12-01", "visitors": "赵街道", "blockers": [{"title": "x"}]},
    )
    assert response.status_code == 422
    assert "visited_on" in response.json()["fields"]
    assert not Blocker.objects.exists()


def test_an_expectation_on_a_stale_version_conflicts(client, enterprise, hdjd_reporter):
    url = "/api/v1/enterprises/{}/expectation".format(enterprise.credit_code)
    body = {"amount_yuan": 30_000_000, "version": 1}
    first = client.put(url, body, content_type="application/json", **bearer(hdjd_reporter))
    assert (first.status_code, first.json()["version"]) == (200, 2)
    again = client.put(url, body, content_type="application/json", **bearer(hdjd_reporter))
    assert again.status_code == 409


def test_an_enterprise_with_an_invalid_credit_code_is_refused_naming_the_field(
    client, industry, hdjd, indicators_member
):
    code = credit_code(77)
    wrong = code[:17] + ("A" if code[17] != "A" else "B")
    response = post(
        client,
        indicators_member,
        "/api/v1/enterprises",
        {
            "name": "青岛测试有限公司",
            "credit_code": wrong,
            "sector": "工业",
            "serving_unit": "hdjd",
        },
    )
    assert response.status_code == 422
    assert "does not check out" in response.json()["fields"]["credit_code"][0]
    assert not KeyEnterprise.objects.exists()

    created = post(
        client,
        indicators_member,
        "/api/v1/enterprises",
        {"name": "青岛测试有限公司", "credit_code": code, "sector": "工业", "serving_unit": "hdjd"},
    )
    assert created.status_code == 201
    assert created.json()["figure_kind"] == "output"


def test_an_expectation_names_the_enterprise_version_it_read(client, enterprise, hdjd_reporter):
    url = "/api/v1/enterprises/{}/expectation".format(enterprise.credit_code)
    body = {"amount_yuan": 30_000_000}
    headers = bearer(hdjd_reporter)
    unnamed = client.put(url, body, content_type="application/json", **headers)
    assert unnamed.status_code == 422 and "enterprise-1" in unnamed.json()["message"]
    first = client.put(
        url, body, content_type="application/json", HTTP_IF_MATCH='"enterprise-1"', **headers
    )
    assert (first.status_code, first.json()["version"]) == (200, 2)
    again = client.put(
        url, body, content_type="application/json", HTTP_IF_MATCH='"enterprise-1"', **headers
    )
    assert again.status_code == 409
