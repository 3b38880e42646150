"""A returned report, an issued order and a waiting proposal tell the people concerned.

The report is returned through the API, the order issued through the office's form; the
reporter hears at once, by e-mail (a mail server on this machine) and in the inbox, and
the unit's robot posts. When the mail server is down nothing is lost: the e-mail waits
and is sent once the server answers.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.notices.conftest import hook_url
from vanguard.accounts.tokens import do_create_token
from vanguard.notices.delivery import send_pending
from vanguard.notices.models import Delivery, Notice, Webhook
from vanguard.projects.actions import do_submit_report
from vanguard.supervision.lights import recompute

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(fgj_reporter):
    fgj_reporter.email = "zhang@fgj.example.cn"
    fgj_reporter.save(update_fields=["email"])
    return fgj_reporter


@pytest.fixture
def robot(receiver, fgj):
    return Webhook.objects.create(
        name="发改局工作群", kind="wecom", url=hook_url(receiver), unit=fgj
    )


def api(user):
    return Client(HTTP_AUTHORIZATION="Bearer " + do_create_token(user.username))


def test_a_returned_report_is_mailed_and_posted_at_once(
    smtp, robot, reporter, projects_member, make_project, django_capture_on_commit_callbacks
):
    project = make_project(code="XHA-0400")
    report = do_submit_report(project, actor=reporter, progress="按计划推进")

    with django_capture_on_commit_callbacks(execute=True):
        response = api(projects_member).post(
            "/api/v1/reports/{}/return".format(report.pk),
            {"reason": "投资额与台账不符"},
            content_type="application/json",
        )
    assert response.status_code == 200, response.content

    assert [m.rcpts for m in smtp.messages] == [["zhang@fgj.example.cn"]]
    assert "XHA-0400" in smtp.messages[0].subject and "退回" in smtp.messages[0].subject
    assert "投资额与台账不符" in smtp.messages[0].text
    notice = Notice.objects.get(recipient=reporter)
    assert notice.kind == "report_returned" and notice.mailed
    assert notice.url == "/projects/reports/{}/".format(report.pk)


def test_the_units_robot_posts_a_returned_report(
    smtp,
    receiver,
    robot,
    reporter,
    projects_member,
    make_project,
    django_capture_on_commit_callbacks,
):
    report = do_submit_report(make_project(code="XHA-0401"), actor=reporter, progress="推进")
    with django_capture_on_commit_callbacks(execute=True):
        api(projects_member).post(
            "/api/v1/reports/{}/return".format(report.pk),
            {"reason": "缺少照片"},
            content_type="application/json",
        )
    assert len(receiver.posts) == 1
    assert "缺少照片" in receiver.posts[0]["body"]["markdown"]["content"]
    # The robot's message is recorded with the notice it carries.
    delivery = Delivery.objects.get(channel="wecom")
    assert list(delivery.notices.values_list("recipient", flat=True)) == [reporter.pk]


def test_an_issued_order_tells_the_unit_and_the_responsible_person(
    smtp,
    reporter,
    client,
    login,
    office_clerk,
    make_project,
    plan,
    django_capture_on_commit_callbacks,
):
    make_project(code="XHA-0402")
    recompute(plan)  # an order is about a judged subject
    login(office_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/supervision/orders/new/",
            {
                "campaign": plan.code,
                "subject_kind": "project",
                "subject": "XHA-0402",
                "colour": "yellow",
                "problem": "用地手续滞后",
                "requirement": "本月底前完成用地预审",
                "answer_working_days": 5,
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    notice = Notice.objects.get(recipient=reporter)
    assert notice.kind == "order_issued" and "督办" in notice.subject
    assert notice.due is not None
    assert smtp.messages and "督办" in smtp.messages[0].subject
    # The reporter opens the notice and lands on the order, which they may see.
    client.logout()
    login(reporter)
    response = client.post("/notices/{}/read/".format(notice.pk))
    assert response.status_code == 302 and response["Location"] == notice.url
    assert client.get(notice.url).status_code == 200
    assert Notice.objects.get(pk=notice.pk).read_at is not None


def test_a_proposal_waits_in_the_offices_inbox_for_the_days_digest(
    smtp, office_clerk, make_project, plan
):
    from vanguard.org.access import SYSTEM
    from vanguard.supervision.orders.proposals import do_propose

    office_clerk.email = "wang@office.example.cn"
    office_clerk.save(update_fields=["email"])
    project = make_project(code="XHA-0403")
    recompute(plan)
    do_propose(
        plan,
        kind="order",
        subject_kind="project",
        object_id=project.pk,
        colour="blue",
        actor=SYSTEM,
    )
    notice = Notice.objects.get(recipient=office_clerk)
    assert notice.kind == "proposal_waiting" and not notice.mailed
    assert smtp.messages == []

    from vanguard.notices.send import make_digests

    make_digests(timezone.localdate())
    send_pending()
    assert [m.rcpts for m in smtp.messages] == [["wang@office.example.cn"]]
    assert "XHA-0403" in smtp.messages[0].text


def test_an_unreachable_mail_server_loses_nothing(
    smtp, settings, reporter, projects_member, make_project, django_capture_on_commit_callbacks
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens there
    report = do_submit_report(make_project(code="XHA-0404"), actor=reporter, progress="推进")
    with django_capture_on_commit_callbacks(execute=True):
        api(projects_member).post(
            "/api/v1/reports/{}/return".format(report.pk),
            {"reason": "请补充"},
            content_type="application/json",
        )
    delivery = Delivery.objects.get(channel="email")
    assert delivery.state == "pending" and delivery.attempts == 1
    assert delivery.last_error.startswith("SMTP")
    assert smtp.messages == []

    settings.EMAIL_PORT = port
    later = delivery.next_attempt_at + datetime.timedelta(seconds=1)
    assert send_pending(now=later) == (1, 0)
    assert len(smtp.messages) == 1 and "XHA-0404" in smtp.messages[0].subject


def test_a_delivery_that_keeps_failing_is_given_up_shown_and_retried_by_the_office(
    smtp,
    settings,
    reporter,
    office_clerk,
    client,
    login,
    projects_member,
    make_project,
    django_capture_on_commit_callbacks,
):
    settings.NOTICE_MAX_ATTEMPTS = 2
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, 9
    report = do_submit_report(make_project(code="XHA-0405"), actor=reporter, progress="推进")
    with django_capture_on_commit_callbacks(execute=True):
        api(projects_member).post(
            "/api/v1/reports/{}/return".format(report.pk),
            {"reason": "请补充"},
            content_type="application/json",
        )
    delivery = Delivery.objects.get()
    send_pending(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.attempts == 2

    login(office_clerk)
    page = client.get("/notices/deliveries/").content.decode()
    assert "zhang@fgj.example.cn" in page and "发送失败" in page
    settings.EMAIL_PORT = port
    assert client.post("/notices/deliveries/{}/retry/".format(delivery.pk)).status_code == 302
    assert Delivery.objects.get().state == "sent"
    assert len(smtp.messages) == 1
