"""A unit reports, its task force verifies or returns; only verified progress counts.

Every step goes through a door people use (the item page's forms, the API with a
token); then every page that shows the item is opened as each role.
"""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from tests.lists.conftest import signed_in
from vanguard.lists.choices import ReportState
from vanguard.lists.models import Checkpoint, ListItem, ProgressReport
from vanguard.supervision.lights import recompute
from vanguard.supervision.models import LightState

pytestmark = pytest.mark.django_db

ITEM = "/lists/i/QD-FGJ-01/"


def _token_client(user):
    from vanguard.accounts.tokens import do_create_token

    return Client(HTTP_AUTHORIZATION="Bearer " + do_create_token(user.username))


def _report(client, period="2026-03", quantity="15", code="QD-FGJ-01"):
    return client.post(
        "/lists/i/{}/report/".format(code),
        {"campaign": "xihaian-2026", "period": period, "quantity": quantity, "note": "已入库"},
    )


def _light(code, day):
    item = ListItem.objects.get(code=code)
    recompute(item.campaign, today=day)
    return LightState.objects.get(kind="listitem", object_id=item.pk)


def test_a_reporter_reports_and_the_task_force_verifies_through_the_page(loaded):
    reporter = signed_in(loaded["reporter_fgj"])
    response = _report(reporter)
    assert response.status_code == 302, response.content.decode()[:2000]
    report = ProgressReport.objects.get(item__code="QD-FGJ-01", period="2026-03")
    assert report.state == ReportState.SUBMITTED
    # Not counted until verified.
    assert ListItem.objects.get(code="QD-FGJ-01").verified_quantity is None

    tf = signed_in(loaded["tf_projects"])
    page = tf.get(ITEM).content.decode()
    assert "verify-form" in page
    response = tf.post(
        "/lists/reports/{}/verify/".format(report.pk),
        {"campaign": "xihaian-2026", "version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.VERIFIED
    assert report.verified_by == loaded["tf_projects"]
    item = ListItem.objects.get(code="QD-FGJ-01")
    assert item.verified_quantity == Decimal(15)
    assert item.verified_period == "2026-03"


def test_only_verified_progress_counts_for_the_light(loaded):
    reporter = signed_in(loaded["reporter_fgj"])
    april = datetime.date(2026, 4, 20)
    # Plan to March: 20 of 100. Nothing verified: 20 points behind → yellow.
    assert _light("QD-FGJ-01", april).light == "yellow"
    _report(reporter, quantity="20")
    assert _light("QD-FGJ-01", april).light == "yellow"
    report = ProgressReport.objects.get(item__code="QD-FGJ-01")
    _token_client(loaded["tf_projects"]).post(
        "/api/v1/list-reports/{}/verify".format(report.pk),
        {"version": report.version},
        content_type="application/json",
    )
    state = _light("QD-FGJ-01", april)
    assert state.light == "green", state.reason_text
    # July: the June plan is 50; 20 verified is 30 points behind → yellow; October 80: red.
    assert _light("QD-FGJ-01", datetime.date(2026, 7, 20)).light == "yellow"
    state = _light("QD-FGJ-01", datetime.date(2026, 10, 20))
    assert state.light == "red"
    assert "60" in state.reason_text  # 60 points behind, in words


def test_a_milestone_past_due_and_not_verified_done_is_red_and_yellow_before(loaded):
    # The first checkpoint falls due on 2026-03-11.
    assert _light("QD-FGJ-02", datetime.date(2026, 3, 2)).light == "green"
    assert _light("QD-FGJ-02", datetime.date(2026, 3, 9)).light == "yellow"
    assert _light("QD-FGJ-02", datetime.date(2026, 3, 12)).light == "red"
    reporter = signed_in(loaded["reporter_fgj"])
    response = reporter.post(
        "/lists/i/QD-FGJ-02/report/",
        {"campaign": "xihaian-2026", "period": "2026-03-D1", "milestone_done": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    assert _light("QD-FGJ-02", datetime.date(2026, 3, 12)).light == "red"
    report = ProgressReport.objects.get(item__code="QD-FGJ-02")
    signed_in(loaded["tf_projects"]).post(
        "/lists/reports/{}/verify/".format(report.pk), {"version": report.version}
    )
    assert Checkpoint.objects.get(item__code="QD-FGJ-02", period="2026-03-D1").reached_on
    assert _light("QD-FGJ-02", datetime.date(2026, 3, 12)).light == "green"


def test_a_returned_report_says_why_and_the_unit_files_it_again(loaded):
    reporter = signed_in(loaded["reporter_fgj"])
    _report(reporter, quantity="90")
    report = ProgressReport.objects.get(item__code="QD-FGJ-01")
    tf = signed_in(loaded["tf_projects"])
    response = tf.post(
        "/lists/reports/{}/return/".format(report.pk),
        {"reason": "数量与入库台账不符", "version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    page = reporter.get(ITEM).content.decode()
    assert "数量与入库台账不符" in page
    # Filed again without naming the returned version: refused, said why.
    response = reporter.post(
        "/lists/i/QD-FGJ-01/report/",
        {"campaign": "xihaian-2026", "period": "2026-03", "quantity": "18"},
    )
    assert response.status_code == 400
    response = reporter.post(
        "/lists/i/QD-FGJ-01/report/",
        {
            "campaign": "xihaian-2026",
            "period": "2026-03",
            "quantity": "18",
            "version_2026-03": report.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.quantity == Decimal(18)
    assert report.return_reason == ""


def test_a_page_names_the_version_of_a_waiting_report_and_a_stale_one_is_refused(loaded):
    reporter = signed_in(loaded["reporter_fgj"])
    _report(reporter, quantity="10")
    page = reporter.get(ITEM).content.decode()
    assert 'name="version_2026-03" value="1"' in page
    colleague = _token_client(loaded["dual"])
    corrected = colleague.post(
        "/api/v1/list-items/QD-FGJ-01/reports",
        {"period": "2026-03", "quantity": 12, "version": 1},
        content_type="application/json",
    )
    assert corrected.status_code == 201, corrected.content.decode()
    stale = reporter.post(
        "/lists/i/QD-FGJ-01/report/",
        {"campaign": "xihaian-2026", "period": "2026-03", "quantity": "11", "version_2026-03": 1},
    )
    assert stale.status_code == 400
    assert ProgressReport.objects.get(item__code="QD-FGJ-01").quantity == Decimal(12)
    unnamed = colleague.post(
        "/api/v1/list-items/QD-FGJ-01/reports",
        {"period": "2026-03", "quantity": 13},
        content_type="application/json",
    )
    assert unnamed.status_code == 409


def test_a_return_without_a_reason_is_refused_and_changes_nothing(loaded):
    _report(signed_in(loaded["reporter_fgj"]))
    report = ProgressReport.objects.get(item__code="QD-FGJ-01")
    response = _token_client(loaded["tf_projects"]).post(
        "/api/v1/list-reports/{}/return".format(report.pk),
        {"reason": "  "},
        content_type="application/json",
    )
    assert response.status_code == 422
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_a_unit_never_verifies_its_own_progress(loaded):
    _report(signed_in(loaded["reporter_fgj"]))
    report = ProgressReport.objects.get(item__code="QD-FGJ-01")
    # A projects task-force member who also reports for the unit that owes the item.
    response = _token_client(loaded["dual"]).post(
        "/api/v1/list-reports/{}/verify".format(report.pk), {}, content_type="application/json"
    )
    assert response.status_code == 403
    response = signed_in(loaded["dual"]).post("/lists/reports/{}/verify/".format(report.pk))
    assert response.status_code == 403
    assert "从不核验本单位" in response.content.decode() or "never verifies" in (
        response.content.decode()
    )
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_another_battles_task_force_neither_sees_nor_verifies(loaded):
    _report(signed_in(loaded["reporter_fgj"]))
    report = ProgressReport.objects.get(item__code="QD-FGJ-01")
    client = _token_client(loaded["tf_citywork"])
    assert client.get("/api/v1/list-items/QD-FGJ-01").status_code == 404
    response = client.post(
        "/api/v1/list-reports/{}/verify".format(report.pk), {}, content_type="application/json"
    )
    assert response.status_code == 404
    codes = [i["code"] for i in client.get("/api/v1/list-items").json()["items"]]
    assert codes == ["QD-HDJD-01"]


def test_two_verifiers_at_once_one_wins_and_the_other_is_told(loaded):
    _report(signed_in(loaded["reporter_fgj"]))
    report = ProgressReport.objects.get(item__code="QD-FGJ-01")
    version = report.version
    first = _token_client(loaded["tf_projects"]).post(
        "/api/v1/list-reports/{}/verify".format(report.pk),
        {"version": version},
        content_type="application/json",
    )
    assert first.status_code == 200
    second = _token_client(loaded["tf_projects_2"]).post(
        "/api/v1/list-reports/{}/return".format(report.pk),
        {"version": version, "reason": "不符"},
        content_type="application/json",
    )
    assert second.status_code == 409
    assert "李专班" in second.json()["message"]
    report.refresh_from_db()
    assert report.state == ReportState.VERIFIED


def test_a_verified_report_can_no_longer_change(loaded):
    reporter = signed_in(loaded["reporter_fgj"])
    _report(reporter)
    report = ProgressReport.objects.get(item__code="QD-FGJ-01")
    signed_in(loaded["tf_projects"]).post("/lists/reports/{}/verify/".format(report.pk))
    response = _report(reporter, quantity="99")
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.quantity == Decimal(15)


def test_a_reporter_of_another_unit_sees_nothing_of_the_item(loaded):
    client = signed_in(loaded["reporter_hdjd"])
    assert client.get(ITEM).status_code == 404
    assert _report(client).status_code == 404
    page = client.get("/lists/").content.decode()
    assert "QD-HDJD-01" in page and "QD-FGJ-01" not in page
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize(
    "who,sees",
    [
        ("office", True),
        ("leader", True),
        ("tf_projects", True),
        ("reporter_fgj", True),
        ("tf_citywork", False),
        ("reporter_hdjd", False),
        ("inspector", False),
    ],
)
def test_every_page_showing_the_item_opens_as_each_role_says(loaded, who, sees):
    reporter = signed_in(loaded["reporter_fgj"])
    _report(reporter)
    report = ProgressReport.objects.get(item__code="QD-FGJ-01")
    signed_in(loaded["tf_projects"]).post(
        "/lists/reports/{}/return/".format(report.pk), {"reason": "补充佐证"}
    )
    recompute(loaded["campaign"], today=datetime.date(2026, 4, 20))
    client = signed_in(loaded[who])
    pages = {
        ITEM: client.get(ITEM),
        "/api/v1/list-items/QD-FGJ-01": client.get("/api/v1/list-items/QD-FGJ-01"),
        "checkpoints": client.get("/api/v1/list-items/QD-FGJ-01/checkpoints"),
        "reports": client.get("/api/v1/list-items/QD-FGJ-01/reports"),
    }
    for name, response in pages.items():
        assert (response.status_code == 200) is sees, (name, response.status_code)
    listed = client.get("/lists/")
    unit_page = client.get("/org/units/fgj/")
    api_list = client.get("/api/v1/list-items")
    assert ("QD-FGJ-01" in listed.content.decode()) is sees
    assert ("QD-FGJ-01" in api_list.content.decode()) is sees
    if sees:
        assert "补充佐证" in pages[ITEM].content.decode()
        assert "QD-FGJ-01" in unit_page.content.decode()
        detail = pages["/api/v1/list-items/QD-FGJ-01"].json()
        assert detail["light"] == "yellow" and detail["light_text"]
        assert pages["reports"].json()["items"][0]["state"] == "returned"


def test_the_unit_page_lists_the_items_with_light_and_next_due_date(loaded):
    recompute(loaded["campaign"], today=datetime.date(2026, 4, 20))
    client = signed_in(loaded["reporter_fgj"])
    owed = client.get("/api/v1/units/fgj/owed").json()
    rows = (
        {row["label"].split()[0]: row for row in owed["items"]}
        if "items" in owed
        else {row["label"].split()[0]: row for row in owed}
    )
    assert rows["QD-FGJ-01"]["light"] == "yellow"
    assert rows["QD-FGJ-01"]["due"] == "2026-04-01"
    assert "QD-HDJD-01" not in rows


def test_a_verification_recomputes_the_lights_once_it_commits(
    loaded, django_capture_on_commit_callbacks
):
    _report(signed_in(loaded["reporter_fgj"]), quantity="20")
    report = ProgressReport.objects.get(item__code="QD-FGJ-01")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _token_client(loaded["tf_projects"]).post(
            "/api/v1/list-reports/{}/verify".format(report.pk),
            {"version": report.version},
            content_type="application/json",
        )
    assert response.status_code == 200
    assert len(callbacks) == 1
    # A return changes no judged fact: nothing to recompute (the unit is told, that is all).
    _report(signed_in(loaded["reporter_fgj"]), period="2026-04", quantity="30")
    waiting = ProgressReport.objects.get(item__code="QD-FGJ-01", period="2026-04")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signed_in(loaded["tf_projects"]).post(
            "/lists/reports/{}/return/".format(waiting.pk), {"reason": "请补充"}
        )
    from vanguard.supervision.tasks import _RecomputeOnCommit

    assert [c for c in callbacks if isinstance(c, _RecomputeOnCommit)] == []
    assert len(callbacks) == 1


def test_an_order_about_a_list_item_links_to_its_page(loaded):
    from vanguard.supervision.orders.subjects import describe, link_of

    recompute(loaded["campaign"], today=datetime.date(2026, 4, 20))
    item = ListItem.objects.get(code="QD-FGJ-01")
    subject = describe(loaded["campaign"], "listitem", item.pk)
    assert subject.label == "QD-FGJ-01" and subject.unit_id == loaded["fgj"].pk
    assert link_of("listitem", item.pk, subject.label) == "/lists/i/QD-FGJ-01/"
