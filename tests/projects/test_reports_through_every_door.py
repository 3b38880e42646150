"""A report filed through each door opens on every page that shows it, for every role.

Demo reports carry no change entry of their own, so pages tested only with them hid a
server error that every report filed through the product met.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.projects.test_report_sheet_pages import filled, token_of
from vanguard.accounts.tokens import do_create_token
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.projects.actions import do_certify_reports
from vanguard.projects.models import DekadReport


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def browser(user):
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def file_by_form(reporter):
    response = browser(reporter).post(
        "/projects/p/XHA-0001/report/",
        {
            "progress": "主体结构施工",
            "investment_wan": "350.5",
            "node_project_approval": yesterday().isoformat(),
            "blockers": "施工用电\n道路占用",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def file_by_api(reporter):
    response = Client().post(
        "/api/v1/projects/XHA-0001/reports",
        {
            "progress": "桩基施工",
            "investment_yuan": 2_000_000,
            "nodes": {"project_approval": yesterday().isoformat()},
            "blockers": ["环评批复未下达"],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + do_create_token(reporter.username),
    )
    assert response.status_code == 201, response.content.decode()


def file_by_workbook(reporter):
    client = browser(reporter)
    dekad = period_containing(PeriodKind.DEKAD, timezone.localdate())
    content = client.get("/projects/reports/excel/workbook.xlsx").content
    preview = client.post("/projects/reports/excel/", {"file": filled(content)})
    assert preview.status_code == 200
    applied = client.post(
        "/projects/reports/excel/apply/",
        {"token": token_of(preview), "campaign": "xihaian-2026", "period": dekad.label},
    )
    assert applied.status_code == 302


DOORS = {"form": file_by_form, "api": file_by_api, "workbook": file_by_workbook}


def pages_of(report):
    return [
        f"/projects/reports/{report.pk}/",
        "/projects/p/XHA-0001/",
        "/projects/p/XHA-0001/nodes/project_approval/",
        "/projects/",
        "/projects/matrix/",
        "/projects/progress/",
        "/projects/export.xlsx",
        "/",
    ]


def api_reads_of(report):
    return [
        f"/api/v1/reports?period={report.period}",
        "/api/v1/projects/XHA-0001",
        "/api/v1/reports?status=submitted",
    ]


@pytest.mark.parametrize("door", DOORS)
def test_a_filed_and_certified_report_opens_everywhere_for_every_role(
    door, fgj_project, fgj_reporter, projects_member, office_clerk, leader, inspector
):
    DOORS[door](fgj_reporter)
    report = DekadReport.objects.get(project=fgj_project)
    readers = [fgj_reporter, projects_member, office_clerk, leader]

    for user in readers:
        client = browser(user)
        for url in pages_of(report):
            response = client.get(url)
            assert response.status_code == 200, (door, user.username, url)
    queue = browser(projects_member).get("/projects/certification/")
    assert queue.status_code == 200
    assert "XHA-0001" in queue.content.decode()

    do_certify_reports([report], actor=projects_member)
    for user in readers:
        client = browser(user)
        for url in pages_of(report):
            assert client.get(url).status_code == 200, (door, user.username, url)
        token = "Bearer " + do_create_token(user.username)
        for url in api_reads_of(report):
            response = Client().get(url, HTTP_AUTHORIZATION=token)
            assert response.status_code == 200, (door, user.username, url)

    # Nobody meets a server error, the inspector included.
    client = browser(inspector)
    for url in pages_of(report):
        assert client.get(url).status_code in (200, 403, 404), url


def test_the_report_history_names_its_nodes_and_people_in_words(
    fgj_project, fgj_reporter, projects_member
):
    file_by_form(fgj_reporter)
    report = DekadReport.objects.get(project=fgj_project)
    do_certify_reports([report], actor=projects_member)
    page = browser(fgj_reporter).get(f"/projects/reports/{report.pk}/").content.decode()
    history = page[page.index("vg-history") :]
    assert "项目立项" in history or "立项" in history
    assert "李专班" in history  # the certifier by name, not by id
    assert "350.5万元" in history
    for raw in ("project_approval", "→ {}<".format(projects_member.pk), "ID:", "3505000"):
        assert raw not in history
