"""The dekad workbook pages: a reporter downloads, fills in and uploads the unit's reports."""

import io
import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.exchange.workbooks import make_workbook, read_rows
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.projects.models import DekadReport

HEADER_ROW = 3


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def this_dekad():
    return period_containing(PeriodKind.DEKAD, timezone.localdate())


def filled(content, progress="完成桩基施工"):
    rows = read_rows(content)
    headers = rows[HEADER_ROW - 1]
    rows[HEADER_ROW][headers.index("本旬进展")] = progress
    rows[HEADER_ROW][headers.index("本旬完成投资（万元）")] = "120"
    file = make_workbook(rows)
    file.name = "旬报.xlsx"
    return file


def client_for(user):
    """A second browser, for a second person (the ``login`` fixture has one client)."""
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def token_of(response):
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_a_reporter_downloads_fills_in_and_files_the_dekads_reports(
    login, fgj_reporter, fgj_project, hdjd_project, this_dekad
):
    client = login(fgj_reporter)
    page = client.get("/projects/reports/excel/")
    assert page.status_code == 200
    response = client.get("/projects/reports/excel/workbook.xlsx")
    assert response.status_code == 200
    rows = read_rows(response.content)
    assert this_dekad.label in rows[0][0]
    assert [r[0] for r in rows[HEADER_ROW:]] == ["XHA-0001"]

    preview = client.post("/projects/reports/excel/", {"file": filled(response.content)})
    assert preview.status_code == 200
    assert 'data-row="4" data-action="create"' in preview.content.decode()
    assert not DekadReport.objects.exists()

    applied = client.post(
        "/projects/reports/excel/apply/",
        {"token": token_of(preview), "campaign": "xihaian-2026", "period": this_dekad.label},
    )
    assert applied.status_code == 302
    report = DekadReport.objects.get()
    assert (report.project, report.period, report.investment_yuan) == (
        fgj_project,
        this_dekad.label,
        1_200_000,
    )


def test_another_units_workbook_cannot_be_downloaded(
    login, fgj_reporter, fgj_project, hdjd_project
):
    client = login(fgj_reporter)
    assert client.get("/projects/reports/excel/workbook.xlsx?unit=hdjd").status_code == 404


def test_a_dekad_not_yet_open_cannot_be_downloaded(login, fgj_reporter, fgj_project, this_dekad):
    client = login(fgj_reporter)
    later = this_dekad.next().label
    assert client.get("/projects/reports/excel/workbook.xlsx?period=" + later).status_code == 404


def test_an_upload_with_errors_is_shown_and_files_nothing(
    login, fgj_reporter, hdjd_reporter, fgj_project, hdjd_project
):
    content = client_for(hdjd_reporter).get("/projects/reports/excel/workbook.xlsx").content
    client = login(fgj_reporter)
    preview = client.post("/projects/reports/excel/", {"file": filled(content)})
    text = preview.content.decode()
    assert 'data-action="error"' in text and 'data-cell="A4"' in text
    assert 'id="apply-button"' not in text
    assert not DekadReport.objects.exists()


def test_the_office_downloads_a_units_workbook_but_cannot_upload(
    login, office_clerk, fgj_project, hdjd_project
):
    client = login(office_clerk)
    response = client.get("/projects/reports/excel/workbook.xlsx?unit=hdjd")
    assert response.status_code == 200
    assert [r[0] for r in read_rows(response.content)[HEADER_ROW:]] == ["XHA-0002"]
    file = io.BytesIO(response.content)
    file.name = "x.xlsx"
    assert client.post("/projects/reports/excel/", {"file": file}).status_code == 403
