"""The projects pages as reporters and the task force use them."""

import datetime

import pytest
from django.utils import timezone

from vanguard.core.money import YI
from vanguard.projects.actions import do_create_project, do_submit_report
from vanguard.projects.choices import ReportStatus
from vanguard.projects.models import DekadReport


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_reporter_lists_only_their_units_projects(login, fgj_reporter, fgj_project, hdjd_project):
    content = login(fgj_reporter).get("/projects/").content.decode()
    assert "XHA-0001" in content
    assert "XHA-0002" not in content


def test_a_reporter_gets_404_for_another_units_project(login, fgj_reporter, hdjd_project):
    client = login(fgj_reporter)
    assert client.get("/projects/p/XHA-0002/").status_code == 404
    assert client.get("/projects/p/XHA-0002/report/").status_code == 404


def test_the_list_filters_by_unit_and_size_class(login, leader, fgj_project, hdjd_project):
    client = login(leader)
    content = client.get("/projects/?unit=hdjd").content.decode()
    assert "XHA-0002" in content and "XHA-0001" not in content
    content = client.get("/projects/?size_class=size_1e8&q=海洋").content.decode()
    assert "XHA-0001" in content and "XHA-0002" not in content


def test_the_project_page_shows_its_map_of_key_nodes(login, leader, fgj_project):
    content = login(leader).get("/projects/p/XHA-0001/").content.decode()
    assert "project-map-data" in content
    assert "用地手续办理" in content and "2026-03-20" in content


def test_a_reporter_files_a_report_in_the_browser_form(login, fgj_reporter, fgj_project, today):
    client = login(fgj_reporter)
    assert client.get("/projects/p/XHA-0001/report/").status_code == 200
    response = client.post(
        "/projects/p/XHA-0001/report/",
        {"progress": "主体结构施工", "investment_wan": "350.5", "blockers": "施工用电\n道路占用"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    report = DekadReport.objects.get(project=fgj_project)
    assert report.investment_yuan == 3_505_000
    assert report.blockers.count() == 2


def test_the_report_form_shows_errors_and_files_nothing(login, fgj_reporter, fgj_project, today):
    client = login(fgj_reporter)
    future = (today + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        "/projects/p/XHA-0001/report/",
        {"progress": "x", "investment_wan": "1", "node_land_use": future},
    )
    assert response.status_code == 200
    assert future in response.content.decode()
    assert not DekadReport.objects.exists()
    response = client.post(
        "/projects/p/XHA-0001/report/", {"progress": "x", "investment_wan": "-3"}
    )
    assert response.status_code == 200
    assert not DekadReport.objects.exists()


def test_the_task_force_certifies_in_bulk_and_returns_with_a_reason(
    login, projects_member, fgj_reporter, fgj_project, plan, fgj, office_clerk, today
):
    second = do_create_project(
        campaign=plan,
        code="XHA-0003",
        name="智能制造基地",
        lead_unit=fgj,
        investment_yuan=2 * YI,
        actor=office_clerk,
    )
    third = do_create_project(
        campaign=plan,
        code="XHA-0004",
        name="文旅综合体",
        lead_unit=fgj,
        investment_yuan=YI,
        actor=office_clerk,
    )
    reports = [
        do_submit_report(p, actor=fgj_reporter, progress="推进中", today=today)
        for p in (fgj_project, second, third)
    ]
    client = login(projects_member)
    content = client.get("/projects/certification/").content.decode()
    assert all(code in content for code in ("XHA-0001", "XHA-0003", "XHA-0004"))
    client.post(
        "/projects/certification/",
        {"report": [reports[0].pk, reports[1].pk], "action": "certify"},
    )
    client.post(
        "/projects/certification/",
        {"report": [reports[2].pk], "action": "return", "reason": "进度描述不具体"},
    )
    statuses = dict(DekadReport.objects.values_list("project__code", "status"))
    assert statuses == {
        "XHA-0001": ReportStatus.CERTIFIED,
        "XHA-0003": ReportStatus.CERTIFIED,
        "XHA-0004": ReportStatus.RETURNED,
    }


def test_a_queue_row_shows_the_dekad_and_the_key_nodes_reached(
    login, projects_member, fgj_reporter, fgj_project, today
):
    reached = today - datetime.timedelta(days=1)
    report = do_submit_report(
        fgj_project,
        actor=fgj_reporter,
        progress="立项完成",
        node_dates={"project_approval": reached},
        today=today,
    )
    content = login(projects_member).get("/projects/certification/").content.decode()
    row = content.split('value="{}"'.format(report.pk))[1].split("</tr>")[0]
    assert report.period_display in row and "/projects/reports/{}/".format(report.pk) in row
    assert "立项 {}".format(reached.strftime("%m-%d")) in row
    assert "立项完成" in row


def test_a_reporter_cannot_open_the_certification_queue(login, fgj_reporter, plan):
    assert login(fgj_reporter).get("/projects/certification/").status_code == 403


def test_list_and_matrix_query_counts_do_not_grow_with_projects(
    login, leader, plan, fgj, office_clerk, django_assert_max_num_queries
):
    for i in range(30):
        do_create_project(
            campaign=plan,
            code="XHA-1{:03d}".format(i),
            name="项目{}".format(i),
            lead_unit=fgj,
            investment_yuan=YI,
            actor=office_clerk,
        )
    client = login(leader)
    # The first list fills the cache of stage counts and filter choices; later ones
    # (and the matrix) read them from it. Two of the list's queries give its as-of line:
    # the newest project change and the last recompute of the lights. Four on every page
    # are the navigation's counts (the leader's work queue, the unread notices).
    with django_assert_max_num_queries(17):
        client.get("/projects/")
    with django_assert_max_num_queries(14):
        client.get("/projects/")
    with django_assert_max_num_queries(15):
        client.get("/projects/matrix/")
    # The change history names what its foreign keys point to: one query per kind.
    with django_assert_max_num_queries(20):
        client.get("/projects/p/XHA-1001/")


def test_the_report_form_shows_the_waiting_report_and_never_replaces_one_unseen(
    login, fgj_reporter, fgj_project, today
):
    from vanguard.projects.choices import ReportStatus

    client = login(fgj_reporter)
    url = "/projects/p/XHA-0001/report/"
    # Two reporters open the empty form; the first submits.
    first = client.post(url, {"progress": "桩基施工", "investment_wan": "120", "replaces": ""})
    assert first.status_code == 302
    waiting = DekadReport.objects.get(project=fgj_project, status=ReportStatus.SUBMITTED)
    # The second, still holding the empty form, is refused rather than replacing it.
    stale = client.post(url, {"progress": "场地平整", "investment_wan": "5", "replaces": ""})
    assert stale.status_code == 200
    assert "reload" in stale.content.decode() or "重新打开" in stale.content.decode()
    # The form shown again says which report waits now, and keeps what was typed.
    assert 'id="revising"' in stale.content.decode() and "场地平整" in stale.content.decode()
    assert DekadReport.objects.get(status=ReportStatus.SUBMITTED).pk == waiting.pk
    # Opening the form again shows the waiting report, and submitting it revises it.
    page = client.get(url).content.decode()
    assert 'id="revising"' in page and "桩基施工" in page
    assert 'name="replaces" value="{}"'.format(waiting.pk) in page
    revised = client.post(
        url, {"progress": "桩基施工完成", "investment_wan": "150", "replaces": str(waiting.pk)}
    )
    assert revised.status_code == 302
    assert DekadReport.objects.get(status=ReportStatus.SUBMITTED).progress == "桩基施工完成"
    assert DekadReport.objects.get(pk=waiting.pk).status == ReportStatus.SUPERSEDED
