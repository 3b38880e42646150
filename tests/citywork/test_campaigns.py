"""The city-management campaigns: the office defines one with its weekly target, the lead
unit reports each week's quantity, the task force verifies; the light is 序时进度 over the
weeks due."""

import datetime
from decimal import Decimal

import pytest

from tests.citywork.conftest import CAMPAIGN_FORM, signed_in, token_client
from vanguard.citywork.models import CampaignReport, CampaignWeek, CityCampaign
from vanguard.supervision.lights import recompute
from vanguard.supervision.models import LightState

pytestmark = pytest.mark.django_db

PAGE = "/city/campaigns/c/cwzz/"


def _report(client, period, quantity, **extra):
    return client.post(
        PAGE + "report/",
        {"campaign": "xihaian-2026", "period": period, "quantity": quantity, **extra},
    )


def _verify(user, period):
    report = CampaignReport.objects.get(period=period)
    response = token_client(user).post(
        "/api/v1/city-campaign-reports/{}/verify".format(report.pk),
        {"version": report.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response


def _light(day):
    city_campaign = CityCampaign.objects.get(code="cwzz")
    recompute(city_campaign.campaign, today=day)
    return LightState.objects.get(kind="citycampaign", object_id=city_campaign.pk)


def test_the_form_plans_every_week_with_its_due_date(city_campaign):
    found = CityCampaign.objects.get(code="cwzz")
    weeks = list(found.weeks.order_by("period_start"))
    assert [w.period for w in weeks[:2]] == ["2026-W10", "2026-W11"]
    assert len(weeks) == 17 and weeks[-1].period == "2026-W26"
    assert all(w.planned == Decimal(1000) for w in weeks)
    # Week 10 ends on Sunday 8 March; its report is due the next working day.
    assert weeks[0].due_date == datetime.date(2026, 3, 9)
    # Qingming (4–6 April 2026): week 14's report falls due on the 7th.
    assert found.weeks.get(period="2026-W14").due_date == datetime.date(2026, 4, 7)


def test_the_form_refuses_what_cannot_be_and_saves_nothing(cast):
    office = signed_in(cast["office"])
    bad = {**CAMPAIGN_FORM, "responsible_person": "不存在", "end_date": "2026-02-01"}
    response = office.post("/city/campaigns/new/", bad)
    assert response.status_code == 400
    assert "responsible_person" in response.context["form"].errors
    response = office.post("/city/campaigns/new/", {**CAMPAIGN_FORM, "end_date": "2026-02-01"})
    assert response.status_code == 400
    assert "早于开始日期" in response.content.decode()
    assert not CityCampaign.objects.exists()
    # A reporter may not define campaigns.
    response = signed_in(cast["reporter_zfj"]).post("/city/campaigns/new/", CAMPAIGN_FORM)
    assert response.status_code == 403


def test_a_week_reported_verified_and_judged_by_pace(city_campaign):
    reporter = signed_in(city_campaign["reporter_zfj"])
    # Nothing verified after week 10 is due: 100 points behind → red.
    assert _light(datetime.date(2026, 3, 10)).light == "red"
    response = _report(reporter, "2026-W10", "800", note="拆除违建8处")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _light(datetime.date(2026, 3, 10)).light == "red"
    _verify(city_campaign["tf_citywork"], "2026-W10")
    assert CampaignWeek.objects.get(period="2026-W10").verified == Decimal(800)
    state = _light(datetime.date(2026, 3, 10))
    assert state.light == "yellow"
    assert "20" in state.reason_text and "800平方米" in state.reason_text
    _report(reporter, "2026-W11", "1200")
    _verify(city_campaign["tf_citywork"], "2026-W11")
    assert _light(datetime.date(2026, 3, 17)).light == "green"
    # Week 12 due on 23 March, not reported: still on pace overall, but it says so.
    state = _light(datetime.date(2026, 3, 24))
    assert state.light == "red"  # 2,000 of 3,000: 33 points behind


def test_a_new_weekly_target_plans_only_the_weeks_not_yet_due(city_campaign, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 4, 1)
    )
    office = signed_in(city_campaign["office"])
    page = office.get(PAGE + "edit/")
    assert page.status_code == 200
    form = {**CAMPAIGN_FORM, "weekly_target": "1500", "version": "1"}
    response = office.post(PAGE + "edit/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    planned = dict(CampaignWeek.objects.values_list("period", "planned"))
    assert planned["2026-W13"] == Decimal(1000)  # due 30 March, before 1 April
    assert planned["2026-W14"] == Decimal(1500)
    # The same form again (version 1 is stale): refused, saying so.
    response = office.post(PAGE + "edit/", {**form, "weekly_target": "2000"})
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()


def test_one_week_planned_differently_from_the_page(city_campaign):
    office = signed_in(city_campaign["office"])
    response = office.post(
        PAGE + "week/", {"campaign": "xihaian-2026", "period": "2026-W15", "planned": "300"}
    )
    assert response.status_code == 302
    assert CampaignWeek.objects.get(period="2026-W15").planned == Decimal(300)


def test_refusals_say_why_in_chinese(city_campaign):
    reporter = signed_in(city_campaign["reporter_zfj"])
    # A week outside the campaign.
    response = token_client(city_campaign["reporter_zfj"]).post(
        "/api/v1/city-campaigns/cwzz/reports",
        {"period": "2026-W30", "quantity": "10"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "不在拆违治乱攻坚行动的周期内" in response.json()["message"]
    response = _report(reporter, "2026-W10", "-5")
    assert response.status_code == 400
    # A second report of the same week without naming the first is a conflict.
    _report(reporter, "2026-W10", "500")
    response = token_client(city_campaign["reporter_zfj"]).post(
        "/api/v1/city-campaigns/cwzz/reports",
        {"period": "2026-W10", "quantity": "600"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "版本" in response.json()["message"]
    assert CampaignReport.objects.get().quantity == Decimal(500)
    # The lead unit's reporter may not verify; the projects task force does not see it.
    report = CampaignReport.objects.get()
    assert (
        token_client(city_campaign["reporter_zfj"])
        .post(
            "/api/v1/city-campaign-reports/{}/verify".format(report.pk),
            {},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    assert signed_in(city_campaign["tf_projects"]).get(PAGE).status_code == 404


def test_a_returned_week_is_corrected_and_verified(city_campaign):
    reporter = signed_in(city_campaign["reporter_zfj"])
    _report(reporter, "2026-W10", "5000")
    report = CampaignReport.objects.get()
    tf = signed_in(city_campaign["tf_citywork"])
    response = tf.post(
        "/city/campaigns/reports/{}/return/".format(report.pk),
        {"campaign": "xihaian-2026", "reason": "面积与台账不符", "version": report.version},
    )
    assert response.status_code == 302
    page = reporter.get(PAGE).content.decode()
    assert "面积与台账不符" in page
    report.refresh_from_db()
    response = _report(reporter, "2026-W10", "950", **{"version_2026-W10": report.version})
    assert response.status_code == 302
    _verify(city_campaign["tf_citywork"], "2026-W10")
    assert CampaignWeek.objects.get(period="2026-W10").verified == Decimal(950)
