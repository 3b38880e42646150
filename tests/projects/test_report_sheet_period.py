"""A dekad workbook goes into its own dekad or nowhere, even with its title rows deleted."""

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.exchange.workbooks import read_rows, without_title_rows
from tests.projects.test_report_sheet_pages import filled
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.projects.models import DekadReport

HEADER_ROW = 3


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def last_dekad():
    return period_containing(PeriodKind.DEKAD, timezone.localdate()).previous()


def download(client, period):
    response = client.get("/projects/reports/excel/workbook.xlsx?period=" + period.label)
    assert response.status_code == 200
    return response.content


def filled_without_title(content):
    """The workbook filled in, then its title rows deleted; the sheet keeps its dekad's name."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    headers = [c.value for c in sheet[HEADER_ROW]]
    sheet.cell(HEADER_ROW + 1, headers.index("本旬进展") + 1, "完成桩基施工")
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = without_title_rows(buffer.getvalue(), HEADER_ROW - 1)
    file.name = "旬报.xlsx"
    return file


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_workbook_without_its_title_goes_to_the_dekad_its_sheet_names_or_nowhere(
    login, fgj_reporter, fgj_project, last_dekad
):
    client = login(fgj_reporter)
    content = download(client, last_dekad)
    file = filled_without_title(content)
    assert read_rows(file)[0][0] == "项目编号"
    file.seek(0)

    # The page offers the current dekad; the workbook is last dekad's: refused, in words.
    preview = client.post("/projects/reports/excel/", {"file": file})
    page = text_of(preview)
    assert last_dekad.display_label in page and "工作表名称" in page and "未作任何报送" in page
    assert 'id="apply-button"' not in page
    assert not DekadReport.objects.exists()

    # Chosen on the page as well, it is filed into its own dekad.
    file = filled_without_title(content)
    preview = client.post("/projects/reports/excel/", {"file": file, "period": last_dekad.label})
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    applied = client.post(
        "/projects/reports/excel/apply/",
        {"token": token, "campaign": "xihaian-2026", "period": last_dekad.label},
    )
    assert applied.status_code == 302
    assert DekadReport.objects.get().period == last_dekad.label


def test_a_workbook_titled_for_another_dekad_than_the_one_chosen_is_refused(
    login, fgj_reporter, fgj_project, last_dekad
):
    client = login(fgj_reporter)
    file = filled(download(client, last_dekad))
    chosen = last_dekad.previous()
    page = text_of(client.post("/projects/reports/excel/", {"file": file, "period": chosen.label}))
    assert "标题" in page and chosen.display_label in page and last_dekad.display_label in page
    assert 'id="apply-button"' not in page
    assert not DekadReport.objects.exists()
