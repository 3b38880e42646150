"""Problems raised in dekad reports: one pool with enterprise problems, dispatched, followed, closed.

A problem is tracked from the moment its report is filed (through the form, the API or
the dekad workbook); a later report that repeats it names the same problem instead of
raising a second one; the projects task force dispatches it to a unit, which follows it
up and closes it with a resolution.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD, make_person
from tests.exchange.workbooks import make_workbook, read_rows
from tests.projects.conftest import MARCH_5
from vanguard.accounts.tokens import do_create_token
from vanguard.blockers.choices import BlockerState
from vanguard.blockers.models import Blocker
from vanguard.org.choices import Battle, Role
from vanguard.projects.models import DekadReport

pytestmark = pytest.mark.django_db

MARCH_14 = datetime.date(2026, 3, 14)


@pytest.fixture(autouse=True)
def _today(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    day = {"today": MARCH_5}
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day["today"])
    return day


@pytest.fixture
def indicators_member(plan, fgj):
    return make_person(
        "tf_indicators",
        "孙专班",
        fgj,
        Role.TASK_FORCE_MEMBER,
        task_force=plan.task_forces.get(battle=Battle.INDICATORS),
    )


def browser(user):
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def bearer(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}


def api_post(client, user, url, body):
    return client.post(url, body, content_type="application/json", **bearer(user))


def file_in_form(user, problems, code="XHA-0001", progress="办理用地手续"):
    """File (or revise) the current dekad's report as a reporter does: open the form, submit."""
    client = browser(user)
    url = "/projects/p/{}/report/".format(code)
    replaces = re.search(r'name="replaces" value="(\d*)"', client.get(url).content.decode())
    response = client.post(
        url,
        {
            "progress": progress,
            "investment_wan": "0",
            "blockers": problems,
            "replaces": replaces.group(1) if replaces else "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def open_rows(user, query=""):
    """{title: row html} of the open-problems page as ``user`` sees it."""
    content = browser(user).get("/problems/" + query).content.decode()
    rows = re.findall(r'<tr data-blocker="(\d+)">(.*?)</tr>', content, re.S)
    return {re.search(r"<td><a [^>]*>([^<]+)</a>", html).group(1): html for _pk, html in rows}


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_problems_filed_in_the_form_are_on_the_open_problems_page_with_their_project_and_dekad(
    fgj_reporter, projects_member, leader, fgj_project
):
    file_in_form(fgj_reporter, "施工用电未接入\n道路占用审批慢")

    rows = open_rows(projects_member)
    assert list(rows) == ["施工用电未接入", "道路占用审批慢"]
    source = text(
        re.search(r'data-cell="source">(.*?)</td>', rows["施工用电未接入"], re.S).group(1)
    )
    assert "XHA-0001 海洋装备产业园" in source and "2026年3月上旬" in source
    assert "区发展和改革局" in rows["施工用电未接入"]
    # The leader sees them too, but may not close them.
    leader_rows = open_rows(leader)
    assert list(leader_rows) == ["施工用电未接入", "道路占用审批慢"]
    assert "vg-resolve" not in leader_rows["施工用电未接入"]
    assert "vg-resolve" in rows["施工用电未接入"]


def test_the_task_force_dispatches_a_problem_and_the_unit_it_went_to_follows_it_up_and_closes_it(
    fgj_reporter, hdjd_reporter, projects_member, fgj_project, hdjd
):
    file_in_form(fgj_reporter, "征迁未完成")
    blocker = Blocker.objects.get(title="征迁未完成")
    assert open_rows(hdjd_reporter) == {}

    response = browser(projects_member).post(
        "/problems/{}/dispatch/".format(blocker.pk), {"unit": "hdjd", "note": "请黄岛街道牵头征迁"}
    )
    assert response.status_code == 302
    blocker.refresh_from_db()
    assert blocker.unit == hdjd

    hdjd_client = browser(hdjd_reporter)
    assert list(open_rows(hdjd_reporter)) == ["征迁未完成"]
    assert list(open_rows(projects_member, "?unit=fgj")) == []
    assert list(open_rows(projects_member, "?unit=hdjd")) == ["征迁未完成"]
    page = hdjd_client.get("/problems/{}/".format(blocker.pk)).content.decode()
    assert "请黄岛街道牵头征迁" in page and "区发展和改革局 → 黄岛街道" in text(page)
    assert 'id="dispatch-form"' not in page  # a unit does not pass problems on
    followed = hdjd_client.post(
        "/problems/{}/follow-up/".format(blocker.pk), {"note": "已完成入户调查"}
    )
    assert followed.status_code == 302
    assert "已完成入户调查" in open_rows(projects_member)["征迁未完成"]

    closed = hdjd_client.post(
        "/problems/{}/resolve/".format(blocker.pk), {"resolution": "征迁协议全部签订"}
    )
    assert closed.status_code == 302
    blocker.refresh_from_db()
    assert (blocker.state, blocker.resolution, blocker.resolved_on) == (
        BlockerState.RESOLVED,
        "征迁协议全部签订",
        MARCH_5,
    )
    assert open_rows(projects_member) == {}
    # The lead unit still sees its project's problem and how it was solved.
    project_page = browser(fgj_reporter).get("/projects/p/XHA-0001/").content.decode()
    row = re.search(
        r'data-blocker="{}" data-state="resolved">(.*?)</li>'.format(blocker.pk), project_page, re.S
    )
    assert row and "征迁协议全部签订" in row.group(1) and "黄岛街道" in row.group(1)


def test_the_lead_unit_follows_up_its_own_problem_but_may_not_dispatch_it(
    fgj_reporter, fgj_project
):
    file_in_form(fgj_reporter, "融资未到位")
    blocker = Blocker.objects.get()
    client = browser(fgj_reporter)

    assert (
        client.post(
            "/problems/{}/follow-up/".format(blocker.pk), {"note": "已对接银行"}
        ).status_code
        == 302
    )
    refused = client.post("/problems/{}/dispatch/".format(blocker.pk), {"unit": "hdjd"})
    assert refused.status_code == 403
    blocker.refresh_from_db()
    assert blocker.unit.code == "fgj"
    assert [s.note for s in blocker.steps.all()] == ["已对接银行"]


def test_another_task_force_and_another_unit_may_not_handle_a_reports_problem(
    fgj_reporter, hdjd_reporter, indicators_member, fgj_project
):
    file_in_form(fgj_reporter, "用地指标未落实")
    blocker = Blocker.objects.get()
    other_force = browser(indicators_member)

    assert "vg-resolve" not in open_rows(indicators_member)["用地指标未落实"]
    for action, data in [
        ("dispatch", {"unit": "hdjd"}),
        ("follow-up", {"note": "x"}),
        ("resolve", {"resolution": "x"}),
    ]:
        response = other_force.post("/problems/{}/{}/".format(blocker.pk, action), data)
        assert response.status_code == 403, action
    # A unit that neither owns the problem nor leads the project does not see it at all.
    assert browser(hdjd_reporter).get("/problems/{}/".format(blocker.pk)).status_code == 404
    blocker.refresh_from_db()
    assert (blocker.state, blocker.unit.code, blocker.steps.count()) == ("open", "fgj", 0)


def test_a_resubmission_that_repeats_a_problem_names_the_same_one_and_a_dropped_one_stays_open(
    fgj_reporter, fgj_project
):
    file_in_form(fgj_reporter, "施工用电未接入\n道路占用审批慢")
    first = DekadReport.objects.get()
    file_in_form(fgj_reporter, "  施工用电未接入。\n环评批复待下达", progress="修改后的进展")

    assert Blocker.objects.count() == 3
    second = DekadReport.objects.get(status="submitted")
    assert second.supersedes == first
    assert sorted(b.title for b in second.blockers.all()) == ["施工用电未接入", "环评批复待下达"]
    power = Blocker.objects.get(title="施工用电未接入")
    assert (power.occasion, sorted(r.pk for r in power.reports.all())) == (
        first,
        [first.pk, second.pk],
    )
    # Dropped from the resubmission, the problem is not lost.
    assert Blocker.objects.get(title="道路占用审批慢").state == BlockerState.OPEN
    # The form to revise the waiting report shows the problems it names, and those tracked.
    form = browser(fgj_reporter).get("/projects/p/XHA-0001/report/").content.decode()
    assert "施工用电未接入\n环评批复待下达" in form
    tracked = re.search(r'id="open-problems">(.*?)</ul>', form, re.S).group(1)
    assert re.findall(r"<a [^>]*>([^<]+)</a>", tracked) == [
        "施工用电未接入",
        "道路占用审批慢",
        "环评批复待下达",
    ]


def test_the_next_dekads_report_repeats_an_open_problem_and_raises_a_solved_one_anew(
    _today, fgj_reporter, projects_member, fgj_project
):
    file_in_form(fgj_reporter, "施工用电未接入\n道路占用审批慢")
    road = Blocker.objects.get(title="道路占用审批慢")
    browser(projects_member).post("/problems/{}/resolve/".format(road.pk), {"resolution": "已批复"})

    _today["today"] = MARCH_14
    file_in_form(fgj_reporter, "施工用电未接入\n道路占用审批慢")

    assert Blocker.objects.filter(title="施工用电未接入").count() == 1
    assert list(
        Blocker.objects.filter(title="道路占用审批慢")
        .order_by("pk")
        .values_list("state", "raised_on")
    ) == [(BlockerState.RESOLVED, MARCH_5), (BlockerState.OPEN, MARCH_14)]
    report = DekadReport.objects.get(period="2026-03-D2")
    page = browser(projects_member).get("/projects/reports/{}/".format(report.pk)).content.decode()
    assert "施工用电未接入" in page and "道路占用审批慢" in page
    power = Blocker.objects.get(title="施工用电未接入")
    page = browser(projects_member).get("/problems/{}/".format(power.pk)).content.decode()
    named = text(re.search(r'data-cell="reports">(.*?)</dd>', page, re.S).group(1))
    assert named == "2 份: 首次 2026年3月上旬 · 最近 2026年3月中旬"


def test_problems_filed_through_the_api_are_listed_dispatched_followed_and_closed_there(
    client, fgj_reporter, hdjd_reporter, projects_member, indicators_member, fgj_project
):
    filed = api_post(
        client,
        fgj_reporter,
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "桩基施工", "blockers": ["环评批复未下达", "环评批复未下达 "]},
    )
    assert filed.status_code == 201, filed.json()
    [named] = filed.json()["problems"]
    assert (named["title"], named["unit"], named["state"]) == ("环评批复未下达", "fgj", "open")

    listed = client.get("/api/v1/problems?source=project", **bearer(projects_member)).json()
    assert [
        (p["title"], p["source"], p["project"], p["dekad"], p["unit"], p["days_open"])
        for p in listed["items"]
    ] == [("环评批复未下达", "project", "XHA-0001", "2026-03-D1", "fgj", 0)]
    url = "/api/v1/problems/{}".format(named["id"])
    assert client.get(url, **bearer(hdjd_reporter)).status_code == 404

    refused = api_post(client, indicators_member, url + "/dispatch", {"unit": "hdjd"})
    assert refused.status_code == 403
    unknown = api_post(client, projects_member, url + "/dispatch", {"unit": "nope"})
    assert unknown.status_code == 422 and "nope" in unknown.json()["message"]
    dispatched = api_post(
        client, projects_member, url + "/dispatch", {"unit": "hdjd", "note": "请协调环保部门"}
    )
    assert dispatched.status_code == 200
    assert dispatched.json()["unit"] == "hdjd"
    assert [(s["kind"], s["from_unit"], s["to_unit"]) for s in dispatched.json()["steps"]] == [
        ("dispatched", "fgj", "hdjd")
    ]

    followed = api_post(client, hdjd_reporter, url + "/follow-up", {"note": "已报送环评材料"})
    assert [s["note"] for s in followed.json()["steps"]][-1] == "已报送环评材料"
    empty = api_post(client, hdjd_reporter, url + "/resolve", {"resolution": " "})
    assert empty.status_code == 422
    closed = api_post(client, hdjd_reporter, url + "/resolve", {"resolution": "环评已批复"})
    assert (closed.json()["state"], closed.json()["resolution"]) == ("resolved", "环评已批复")
    again = api_post(client, projects_member, url + "/resolve", {"resolution": "再次关闭"})
    assert again.status_code == 422
    assert client.get("/api/v1/problems", **bearer(projects_member)).json()["count"] == 0
    everything = client.get("/api/v1/problems?state=all", **bearer(fgj_reporter)).json()
    assert [p["state"] for p in everything["items"]] == ["resolved"]


def test_problems_filed_in_the_dekad_workbook_join_the_pool(
    fgj_reporter, projects_member, fgj_project, hdjd
):
    client = browser(fgj_reporter)
    rows = read_rows(client.get("/projects/reports/excel/workbook.xlsx").content)
    headers = rows[2]
    rows[3][headers.index("本旬进展")] = "完成桩基施工"
    rows[3][headers.index("本旬完成投资（万元）")] = "120"
    rows[3][headers.index("堵点问题（每行一个）")] = "1. 施工用水未接通\n2. 规划条件需调整"
    file = make_workbook(rows)
    file.name = "旬报.xlsx"
    preview = client.post("/projects/reports/excel/", {"file": file})
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    applied = client.post(
        "/projects/reports/excel/apply/",
        {"token": token, "campaign": "xihaian-2026", "period": "2026-03-D1"},
    )
    assert applied.status_code == 302

    rows = open_rows(projects_member, "?source=project")
    assert list(rows) == ["施工用水未接通", "规划条件需调整"]
    blocker = Blocker.objects.get(title="施工用水未接通")
    response = browser(projects_member).post(
        "/problems/{}/dispatch/".format(blocker.pk), {"unit": "hdjd"}
    )
    assert response.status_code == 302
    page = browser(projects_member).get("/projects/p/XHA-0001/").content.decode()
    assert re.search(
        r'data-blocker="{}" data-state="open">.*?黄岛街道'.format(blocker.pk), page, re.S
    )


def test_the_office_dispatches_and_a_refused_dispatch_says_why_on_the_page(
    fgj_reporter, office_clerk, fgj_project, hdjd
):
    file_in_form(fgj_reporter, "电力接入需协调")
    blocker = Blocker.objects.get()
    client = browser(office_clerk)

    same = client.post("/problems/{}/dispatch/".format(blocker.pk), {"unit": "fgj"})
    assert same.status_code == 400
    assert re.search(r'data-error-for="unit">[^<]*区发展和改革局', same.content.decode())
    moved = client.post("/problems/{}/dispatch/".format(blocker.pk), {"unit": "hdjd"})
    assert moved.status_code == 302


def test_the_open_problems_page_costs_the_same_queries_for_more_problems(
    fgj_reporter, projects_member, fgj_project, hdjd_project, hdjd_reporter
):
    file_in_form(fgj_reporter, "问题一")
    client = browser(projects_member)
    with CaptureQueriesContext(connection) as few:
        client.get("/problems/")
    file_in_form(fgj_reporter, "问题一\n问题二\n问题三\n问题四")
    file_in_form(hdjd_reporter, "问题五\n问题六", code="XHA-0002")
    with CaptureQueriesContext(connection) as again:
        content = client.get("/problems/").content.decode()
    assert content.count("<tr data-blocker=") == 6
    assert len(again.captured_queries) == len(few.captured_queries)


def test_a_correction_of_a_certified_report_names_the_same_problems(
    client, fgj_reporter, projects_member, fgj_project
):
    filed = api_post(
        client,
        fgj_reporter,
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "桩基施工", "blockers": ["融资未到位"]},
    ).json()
    api_post(client, projects_member, "/api/v1/reports/certify", {"ids": [filed["id"]]})

    corrected = api_post(
        client,
        fgj_reporter,
        "/api/v1/reports/{}/correction".format(filed["id"]),
        {"progress": "桩基施工完成", "investment_yuan": 1_000_000, "reason": "投资额漏报"},
    )
    assert corrected.status_code == 201, corrected.json()
    assert [p["title"] for p in corrected.json()["problems"]] == ["融资未到位"]
    assert Blocker.objects.count() == 1
