"""The work queue (待办): what waits for each role, on the landing page, in the
navigation's count and in the API.

Everything is made through the doors people use: dekad reports filed by the lead unit's
reporter through the form and the API, certified or returned by the projects task force
on its queue; list progress reported on the item's page and returned by the task force;
an order issued, signed for and answered through the API; a case referred on the
office's page, a talk proposed there. Then each role's landing page, count and API are read. The day is fixed
(16 March 2026, a Monday of the campaign year), so last dekad's report is late and this
dekad's is not.
"""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD, make_person
from tests.orders.conftest import issue
from vanguard.accounts.tokens import do_create_token
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.org.choices import Role
from vanguard.projects.deadlines import dekad_due_date
from vanguard.projects.models import DekadReport

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)
THIS_DEKAD = period_containing(PeriodKind.DEKAD, TODAY)  # 2026-03-D2
LAST_DEKAD = THIS_DEKAD.previous()  # 2026-03-D1


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Every page, action and API call reads the same day."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def browser(user):
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def token(user):
    return Client(HTTP_AUTHORIZATION="Bearer " + do_create_token(user.username))


def queue_api(user):
    response = token(user).get("/api/v1/queue")
    assert response.status_code == 200, response.content.decode()
    return {kind["kind"]: kind for kind in response.json()["kinds"]}, response.json()


def landing(user):
    """The landing page's text, its queue section and the navigation's count."""
    response = browser(user).get("/")
    assert response.status_code == 200
    page = response.content.decode()
    count = int(re.search(r'id="vg-nav-queue".*?data-count="(\d+)"', page, re.S).group(1))
    section = page[page.index('id="queue"') :]
    section = section[: section.index("</section>")]
    return page, section, count


def lead_units_reporter(project):
    """A reporter for the project's lead unit, who signs in as ``reporter_fgj``."""
    unit = project.lead_unit
    return make_person("reporter_fgj", "张填报", unit, Role.UNIT_REPORTER, reporter_unit=unit)


def file_both_dekads(reporter):
    """Last and this dekad's reports of XHA-0001, filed through the API."""
    for dekad in (LAST_DEKAD, THIS_DEKAD):
        response = token(reporter).post(
            "/api/v1/projects/XHA-0001/reports",
            {"progress": "桩基施工", "period": dekad.label},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content.decode()


def kind_block(section, kind):
    start = section.index('data-queue-kind="{}"'.format(kind))
    return section[start : section.index("</ul>", start)]


def test_a_filed_report_leaves_the_reporters_queue_and_waits_for_the_task_force(
    fgj_project, hdjd_project, plan, projects_member, office_clerk
):
    reporter = lead_units_reporter(fgj_project)
    last_due = dekad_due_date(plan, LAST_DEKAD)
    this_due = dekad_due_date(plan, THIS_DEKAD)
    assert last_due < TODAY < this_due

    # Nothing filed: last dekad's report is due, and late.
    kinds, body = queue_api(reporter)
    due = kinds["reports_due"]
    assert due["count"] == 1 and due["late_count"] == 1 and body["total"] >= 1
    assert due["items"][0]["due"] == last_due.isoformat()
    assert due["items"][0]["late"] is True
    assert "XHA-0001" in due["items"][0]["label"]
    assert "XHA-0002" not in str(kinds)  # another unit's project
    assert due["items"][0]["url"].startswith("/projects/p/XHA-0001/report/?period=")
    page, section, count = landing(reporter)
    assert count == body["total"]
    block = kind_block(section, "reports_due")
    assert "XHA-0001" in block and last_due.isoformat() in block and "vg-late" in block

    # The report form the queue links to shows the due date and that it is late.
    form = browser(reporter).get(due["items"][0]["url"]).content.decode()
    assert 'id="report-due"' in form and last_due.isoformat() in form and "vg-late" in form

    # Filed through the form: this dekad's report is due next, not late.
    response = browser(reporter).post(
        "/projects/p/XHA-0001/report/",
        {"period": LAST_DEKAD.label, "progress": "主体施工", "investment_wan": "100"},
    )
    assert response.status_code == 302, response.context["form"].errors
    kinds, _body = queue_api(reporter)
    assert kinds["reports_due"]["items"][0]["due"] == this_due.isoformat()
    assert kinds["reports_due"]["items"][0]["late"] is False
    _page, section, _count = landing(reporter)
    assert "vg-late" not in kind_block(section, "reports_due")

    # Filed through the API: nothing due any more.
    response = token(reporter).post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "桩基施工", "period": THIS_DEKAD.label},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content.decode()
    kinds, _body = queue_api(reporter)
    assert "reports_due" not in kinds

    # Both wait for the projects task force, the late one marked late.
    kinds, body = queue_api(projects_member)
    certify = kinds["reports_to_certify"]
    assert certify["count"] == 2 and certify["more_url"] == "/projects/certification/"
    assert [item["late"] for item in certify["items"]] == [True, False]
    _page, section, count = landing(projects_member)
    assert count == body["total"] and "XHA-0001" in kind_block(section, "reports_to_certify")
    # The office and the leader certify nothing.
    assert "reports_to_certify" not in queue_api(office_clerk)[0]

    # Returned with a reason: back in the reporter's queue, saying why.
    waiting = DekadReport.objects.get(project=fgj_project, period=LAST_DEKAD.label)
    response = browser(projects_member).post(
        "/projects/certification/",
        {"report": [waiting.pk], "action": "return", "reason": "投资额与台账不符"},
    )
    assert response.status_code == 302
    kinds, body = queue_api(reporter)
    returned = kinds["reports_returned"]
    assert returned["count"] == 1
    assert returned["items"][0]["reason"] == "投资额与台账不符"
    assert returned["items"][0]["url"].endswith("?period=" + LAST_DEKAD.label)
    # A returned dekad is owed again: it is due (late) as well as returned.
    assert kinds["reports_due"]["items"][0]["late"] is True
    _page, section, count = landing(reporter)
    assert "投资额与台账不符" in kind_block(section, "reports_returned")
    assert count == body["total"]
    assert queue_api(projects_member)[0]["reports_to_certify"]["count"] == 1

    # Filed again: the return leaves the queue.
    response = browser(reporter).post(
        "/projects/p/XHA-0001/report/",
        {"period": LAST_DEKAD.label, "progress": "已更正", "investment_wan": "120"},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    kinds, _body = queue_api(reporter)
    assert "reports_returned" not in kinds and "reports_due" not in kinds


def test_list_progress_due_returned_and_to_verify(loaded):
    reporter, tf = loaded["reporter_fgj"], loaded["tf_projects"]
    kinds, _body = queue_api(reporter)
    due = {item["label"].split()[0]: item for item in kinds["progress_due"]["items"]}
    # The monthly item owes February's progress (late), the dekad item last dekad's.
    assert set(due) == {"QD-FGJ-01", "QD-FGJ-02"}
    assert due["QD-FGJ-01"]["late"] and due["QD-FGJ-02"]["late"]
    assert "2026年2月" in due["QD-FGJ-01"]["label"]
    assert "QD-HDJD-01" not in str(kinds)

    client = browser(reporter)
    response = client.post(
        "/lists/i/QD-FGJ-01/report/",
        {"campaign": "xihaian-2026", "period": "2026-02", "quantity": "5", "note": "已入库"},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    kinds, _body = queue_api(reporter)
    due = {item["label"].split()[0]: item for item in kinds["progress_due"]["items"]}
    assert "2026年3月" in due["QD-FGJ-01"]["label"] and not due["QD-FGJ-01"]["late"]

    kinds, body = queue_api(tf)
    assert kinds["progress_to_verify"]["count"] == 1
    _page, section, count = landing(tf)
    assert "QD-FGJ-01" in kind_block(section, "progress_to_verify") and count == body["total"]
    # The city-work task force verifies no projects item.
    assert "progress_to_verify" not in queue_api(loaded["tf_citywork"])[0]

    from vanguard.lists.models import ProgressReport

    report = ProgressReport.objects.get(item__code="QD-FGJ-01", period="2026-02")
    response = browser(tf).post(
        "/lists/reports/{}/return/".format(report.pk),
        {"reason": "数量与入库台账不符", "version": report.version},
    )
    assert response.status_code == 302
    kinds, _body = queue_api(reporter)
    assert kinds["progress_returned"]["items"][0]["reason"] == "数量与入库台账不符"
    _page, section, _count = landing(reporter)
    assert "数量与入库台账不符" in kind_block(section, "progress_returned")
    assert "progress_to_verify" not in queue_api(tf)[0]


def test_an_order_waits_for_the_unit_then_its_answer_for_the_task_force(
    lit, fgj_project, projects_member, office_clerk
):
    unit = fgj_project.lead_unit
    reporter = make_person("reporter_fgj", "张填报", unit, Role.UNIT_REPORTER, reporter_unit=unit)
    order = issue(token(office_clerk))
    kinds, _body = queue_api(reporter)
    orders = kinds["orders_to_answer"]
    assert orders["count"] == 1 and orders["items"][0]["url"] == "/supervision/orders/{}/".format(
        order["id"]
    )
    assert orders["items"][0]["due"] == order["due_date"]
    assert "answers_to_check" not in queue_api(projects_member)[0]

    client = token(reporter)
    assert client.post("/api/v1/orders/{}/sign".format(order["id"])).status_code == 200
    response = client.post("/api/v1/orders/{}/answer".format(order["id"]), {"text": "已整改"})
    assert response.status_code == 200, response.content.decode()
    assert "orders_to_answer" not in queue_api(reporter)[0]
    for checker in (projects_member, office_clerk):
        kinds, _body = queue_api(checker)
        assert kinds["answers_to_check"]["items"][0]["reason"] == "已整改"

    # Sent back with a reason: the unit answers again, told why.
    response = token(projects_member).post(
        "/api/v1/orders/{}/return".format(order["id"]),
        {"reason": "缺少整改佐证"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content.decode()
    kinds, _body = queue_api(reporter)
    assert "缺少整改佐证" in kinds["orders_to_answer"]["items"][0]["reason"]


def test_the_office_issues_bulletins_a_leader_approves_talks_the_inspector_decides_cases(
    lit, fgj_project, office_clerk, leader, inspector
):
    # February's bulletin is due and not drafted: the office's workspace names it.
    kinds, body = queue_api(office_clerk)
    assert [item["url"] for item in kinds["bulletins_to_issue"]["items"]] == [
        "/supervision/bulletins/"
    ]
    _page, section, count = landing(office_clerk)
    assert "2026-02" in kind_block(section, "bulletins_to_issue") and count == body["total"]
    workspace = browser(office_clerk).get("/supervision/").content.decode()
    assert kinds["bulletins_to_issue"]["items"][0]["label"] in workspace

    # A talk the office proposes waits for a leader's approval.
    assert "talks_to_approve" not in queue_api(leader)[0]
    response = browser(office_clerk).post(
        "/supervision/talks/new/",
        {
            "unit": "fgj",
            "kind": "project",
            "subject": "XHA-0001",
            "talk_type": "warning",
            "reason": "项目连续亮红灯",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    kinds, body = queue_api(leader)
    assert kinds["talks_to_approve"]["items"][0]["reason"] == "项目连续亮红灯"
    _page, section, count = landing(leader)
    assert "项目连续亮红灯" in kind_block(section, "talks_to_approve") and count == 1
    assert "talks_to_approve" not in queue_api(office_clerk)[0]

    assert "referred_cases" not in queue_api(inspector)[0]
    response = browser(office_clerk).post(
        "/supervision/referrals/new/",
        {"unit": "fgj", "kind": "project", "subject": "XHA-0001", "reason": "长期亮红灯"},
    )
    assert response.status_code == 302, response.context["form"].errors
    kinds, body = queue_api(inspector)
    assert kinds["referred_cases"]["count"] == 1
    assert kinds["referred_cases"]["items"][0]["reason"] == "长期亮红灯"
    _page, section, count = landing(inspector)
    assert "长期亮红灯" in kind_block(section, "referred_cases") and count == 1
    # The inspector's queue holds nothing else, the leader's no case to decide.
    assert list(queue_api(inspector)[0]) == ["referred_cases"]
    assert "referred_cases" not in queue_api(leader)[0]


def test_who_holds_no_campaign_role_has_an_empty_queue_and_no_count(db, plan, sysadmin):
    response = token(sysadmin).get("/api/v1/queue")
    assert response.status_code == 200 and response.json()["kinds"] == []
    assert Client().get("/api/v1/queue").status_code == 401
    page = browser(sysadmin).get("/org/units/")
    assert 'id="vg-nav-queue"' not in page.content.decode()


def nav_count(client, path):
    page = client.get(path).content.decode()
    return int(re.search(r'id="vg-nav-queue".*?data-count="(\d+)"', page, re.S).group(1))


def test_the_landing_page_works_the_count_out_and_other_pages_keep_it_a_minute(
    fgj_project, plan, projects_member
):
    reporter = lead_units_reporter(fgj_project)
    person = browser(reporter)
    _kinds, body = queue_api(reporter)
    before = body["total"]
    assert before >= 1
    assert nav_count(person, "/") == before
    assert nav_count(person, "/projects/") == before

    # Filed through the API: the API and the landing page know at once; the project list,
    # which shows only the navigation's count, keeps the one worked out a moment ago
    # (working the whole queue out on every page was most of a page's time).
    file_both_dekads(reporter)
    _kinds, body = queue_api(reporter)
    after = body["total"]
    assert after < before
    assert nav_count(person, "/projects/") == before
    assert nav_count(person, "/") == after
    assert nav_count(person, "/projects/") == after
    # Another login works its count out afresh.
    assert nav_count(browser(reporter), "/projects/") == after


def test_the_task_force_is_told_when_more_reports_wait_than_are_counted(
    fgj_project, plan, projects_member, monkeypatch
):
    # A province's deadline leaves hundreds of thousands of reports to certify: the
    # queue counts them up to a limit and says when more wait.
    reporter = lead_units_reporter(fgj_project)
    file_both_dekads(reporter)
    kinds, body = queue_api(projects_member)
    assert kinds["reports_to_certify"]["count"] == 2 and body["more"] is False

    from vanguard.projects import queries

    monkeypatch.setattr(queries, "COUNT_LIMIT", 1)
    kinds, body = queue_api(projects_member)
    certify = kinds["reports_to_certify"]
    assert (certify["count"], certify["more"], body["total"], body["more"]) == (1, True, 1, True)
    page = browser(projects_member).get("/").content.decode()
    section = page[page.index('id="queue"') :]
    assert "1+ 项待办" in section
    assert '<span class="badge text-bg-secondary">1+</span>' in kind_block(
        section, "reports_to_certify"
    )
    assert re.search(r'id="vg-nav-queue".*?data-count="1\+"', page, re.S)
