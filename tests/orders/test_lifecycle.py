"""An order's life through the API and the pages: issued, signed, answered, returned, closed."""

import pytest

from tests.orders.conftest import issue, pdf
from vanguard.audit.models import ChangeEntry
from vanguard.supervision.models import OrderEvidence, SupervisionOrder

pytestmark = pytest.mark.django_db


def test_the_office_issues_numbered_orders_due_in_working_days(lit, api, office_clerk):
    office = api(office_clerk)
    first = issue(office)
    second = issue(office, code="XHA-0002", colour="red")
    assert first["number"].startswith("督办〔") and first["number"].endswith("〕1号")
    assert second["number"].endswith("〕2号")
    assert first["unit"] == "fgj" and second["unit"] == "hdjd"
    assert first["state"] == "issued" and first["answer_working_days"] == 7
    assert second["answer_working_days"] == 5
    assert first["subject_url"] == "/projects/p/XHA-0001/"
    assert first["steps"][0]["kind"] == "issued"


def test_a_reporter_signs_answers_and_the_task_force_closes(
    lit, api, office_clerk, fgj_reporter, projects_member, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    order = issue(api(office_clerk))
    reporter = api(fgj_reporter)
    url = "/api/v1/orders/{}".format(order["id"])
    assert reporter.post(url + "/sign").json()["state"] == "signed"
    answered = reporter.post(url + "/answer", {"text": "已完成整改", "files": [pdf()]})
    assert answered.status_code == 200, answered.content.decode()
    body = answered.json()
    assert body["state"] == "answered"
    assert body["steps"][-1]["files"][0]["name"].endswith("整改报告.pdf")
    tf = api(projects_member)
    returned = tf.post(url + "/return", {"reason": "证明材料不全"}, content_type="application/json")
    assert returned.json()["state"] == "returned" and returned.json()["returned_count"] == 1
    again = reporter.post(url + "/answer", {"text": "补充材料"})
    assert again.json()["state"] == "answered"
    closed = tf.post(url + "/close", {"note": "核验通过"}, content_type="application/json")
    assert closed.json()["state"] == "closed"
    kinds = [step["kind"] for step in closed.json()["steps"]]
    assert kinds == ["issued", "signed", "answered", "returned", "answered", "closed"]
    assert OrderEvidence.objects.count() == 1
    assert ChangeEntry.objects.filter(object_repr=order["number"]).count() >= 6


def test_an_answer_to_a_closed_order_is_refused_in_chinese(
    lit, api, office_clerk, fgj_reporter, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    order = issue(api(office_clerk))
    reporter = api(fgj_reporter)
    url = "/api/v1/orders/{}".format(order["id"])
    reporter.post(url + "/sign")
    reporter.post(url + "/answer", {"text": "已整改"})
    api(office_clerk).post(url + "/close", {}, content_type="application/json")
    before = ChangeEntry.objects.count()
    refused = reporter.post(url + "/answer", {"text": "再答复"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 422
    assert "已核验销号" in refused.json()["message"]
    assert ChangeEntry.objects.count() == before


def test_answering_before_signing_is_refused(lit, api, office_clerk, fgj_reporter):
    order = issue(api(office_clerk))
    refused = api(fgj_reporter).post(
        "/api/v1/orders/{}/answer".format(order["id"]), {"text": "答复"}
    )
    assert refused.status_code == 422
    assert SupervisionOrder.objects.get().state == "issued"


def test_another_unit_and_the_inspector_do_not_see_the_order(
    lit, api, office_clerk, hdjd_reporter, inspector, leader
):
    order = issue(api(office_clerk))
    url = "/api/v1/orders/{}".format(order["id"])
    assert api(hdjd_reporter).get(url).status_code == 404
    assert api(hdjd_reporter).post(url + "/sign").status_code == 404
    assert api(inspector).get(url).status_code == 404
    assert api(inspector).get("/api/v1/orders").json()["count"] == 0
    assert api(leader).get(url).status_code == 200


def test_a_reporter_may_not_close_and_the_office_may_not_sign(lit, api, office_clerk, fgj_reporter):
    order = issue(api(office_clerk))
    url = "/api/v1/orders/{}".format(order["id"])
    assert api(office_clerk).post(url + "/sign").status_code == 403
    assert (
        api(fgj_reporter).post(url + "/close", {}, content_type="application/json").status_code
        == 403
    )
    assert (
        api(fgj_reporter)
        .post(
            "/api/v1/orders",
            {
                "subject_kind": "project",
                "subject": "XHA-0001",
                "problem": "x",
                "requirement": "y",
                "colour": "red",
            },
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_bad_input_is_named_and_changes_nothing(lit, api, office_clerk):
    office = api(office_clerk)
    before = ChangeEntry.objects.count()
    unknown = office.post(
        "/api/v1/orders",
        {
            "subject_kind": "project",
            "subject": "NOPE",
            "problem": "x",
            "requirement": "y",
            "colour": "red",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert unknown.status_code == 422 and "subject" in unknown.json()["fields"]
    blank = office.post(
        "/api/v1/orders",
        {
            "subject_kind": "project",
            "subject": "XHA-0001",
            "problem": " ",
            "requirement": "y",
            "colour": "red",
        },
        content_type="application/json",
    )
    assert blank.status_code == 422 and "problem" in blank.json()["fields"]
    assert ChangeEntry.objects.count() == before
    assert not SupervisionOrder.objects.exists()


def test_pages_walk_the_lifecycle_for_each_role(
    lit,
    login,
    office_clerk,
    fgj_reporter,
    projects_member,
    leader,
    hdjd_reporter,
    inspector,
    settings,
    tmp_path,
    client,
):
    settings.MEDIA_ROOT = tmp_path
    office = login(office_clerk)
    response = office.post(
        "/supervision/orders/new/",
        {
            "subject_kind": "project",
            "subject": "XHA-0001",
            "colour": "blue",
            "problem": "进度滞后",
            "requirement": "报送措施",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    order = SupervisionOrder.objects.get()
    page = "/supervision/orders/{}/".format(order.pk)
    assert "督办〔" in office.get(page).content.decode()
    office.post("/logout/")
    reporter = login(fgj_reporter)
    assert "sign-form" in reporter.get(page).content.decode()
    assert reporter.post(page + "sign/").status_code == 302
    assert reporter.post(page + "answer/", {"text": "已整改", "files": [pdf()]}).status_code == 302
    order.refresh_from_db()
    assert order.state == "answered"
    evidence = order.evidence_files.get()
    assert reporter.get("{}files/{}/".format(page, evidence.pk)).status_code == 200
    reporter.post("/logout/")
    tf = login(projects_member)
    assert "verify-forms" in tf.get(page).content.decode()
    assert tf.post(page + "close/", {"note": "核验通过"}).status_code == 302
    order.refresh_from_db()
    assert order.state == "closed"
    for user, status in ((leader, 200), (hdjd_reporter, 404), (inspector, 404)):
        tf.post("/logout/")
        viewer = login(user)
        assert viewer.get(page).status_code == status
        listed = viewer.get("/supervision/orders/")
        assert (order.number in listed.content.decode()) == (status == 200)
