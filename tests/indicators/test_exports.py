"""A reporter's text pasted from Word, through the visit form and the API, out in every export.

Word writes a vertical tab for Shift+Enter, and a text starting with "=" looks like a
formula to Excel: both must come out of the pack's workbook and Word document as the
plain text the reporter meant, and the downloads must not fail.
"""

import io
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.indicators.conftest import TODAY
from vanguard.accounts.tokens import do_create_token
from vanguard.blockers.models import Blocker
from vanguard.indicators.models_enterprises import Visit

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.invalid/","点此查看")'
PASTED = FORMULA + "\x0b厂区道路破损"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def bearer(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}


@pytest.fixture
def pasted_problems(client, login, enterprise, hdjd_reporter, gxj):
    """One visit through the form, one through the API, each with text pasted from Word."""
    url = "/indicators/enterprises/{}/".format(enterprise.credit_code)
    response = login(hdjd_reporter).post(
        url,
        {
            "form": "visit",
            "visited_on": "2026-11-20",
            "visitors": "赵街道\x0b钱科长",
            "findings": "新产线调试中\x0b\x01订单饱满",
            "blockers": PASTED,
            "blocker_unit": gxj.pk,
        },
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(
        "/api/v1/enterprises/{}/visits".format(enterprise.credit_code),
        {
            "visited_on": "2026-11-21",
            "visitors": "孙专班",
            "findings": "",
            "blockers": [{"title": "+用工缺口\x0b200人", "description": "夜班\x0c缺人"}],
        },
        content_type="application/json",
        **bearer(hdjd_reporter),
    )
    assert response.status_code == 201, response.content.decode()


def test_text_pasted_from_word_is_stored_without_control_characters(pasted_problems):
    # A Shift+Enter is a line break: in the list of problems it starts another one.
    assert sorted(Blocker.objects.values_list("title", flat=True)) == sorted(
        [FORMULA, "厂区道路破损", "+用工缺口\n200人"]
    )
    assert Blocker.objects.get(title__startswith="+").description == "夜班\n缺人"
    visit = Visit.objects.get(visitors__startswith="赵")
    assert visit.visitors == "赵街道\n钱科长"
    assert visit.findings == "新产线调试中\n订单饱满"


def test_the_pack_workbook_keeps_a_formula_looking_problem_as_text(
    login, pasted_problems, indicators_member
):
    response = login(indicators_member).get("/indicators/pack.xlsx?month=2026-10")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Open problems"] if "Open problems" in workbook else workbook["未解决问题"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert FORMULA in cells
    assert cells[FORMULA].data_type == "s"
    assert cells[FORMULA].quotePrefix  # Excel keeps it text even when the cell is edited
    assert "+用工缺口\n200人" in cells
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)  # no formula anywhere


def test_the_pack_document_and_page_show_the_problem_as_plain_text(
    login, pasted_problems, indicators_member
):
    client = login(indicators_member)
    response = client.get("/indicators/pack.docx?month=2026-10")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert FORMULA in cells and "厂区道路破损" in cells
    assert "+用工缺口\n200人" in cells
    assert not any("\x0b" in text for text in cells)

    page = client.get("/indicators/pack/?month=2026-10")
    assert page.status_code == 200
    assert "点此查看" in page.content.decode()
    problems = client.get("/indicators/enterprises/problems/")
    assert problems.status_code == 200 and "厂区道路破损" in problems.content.decode()
    export = client.get("/indicators/enterprises/export.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    # A title and a 数据截至 line above the header.
    assert sheet.print_title_rows == "$3:$3" and sheet.freeze_panes == "C4"
    open_problems = [c for c in sheet[4] if c.data_type == "n"][-2]
    assert open_problems.value == 3 and open_problems.number_format == "#,##0"


def test_the_pack_document_prints_on_a4_with_page_numbers_headings_and_repeated_headers(
    login, pasted_problems, indicators_member
):
    from docx.oxml.ns import qn
    from docx.shared import Cm

    response = login(indicators_member).get("/indicators/pack.docx?month=2026-10")
    document = Document(io.BytesIO(response.content))

    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    footer = section.footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer

    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("Title") == 1
    assert styles.count("Heading 1") == 5  # the five parts, as Word's navigation lists them

    for table in document.tables:
        header, *body = table.rows
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in body)
    problems = document.tables[-1]
    widths = [cell.width for cell in problems.rows[0].cells]
    assert len(set(widths)) > 1  # fitted to the content, not equal shares
    problem, days = widths[1], widths[4]
    assert problem > days


def test_the_pack_workbook_prints_with_its_header_on_every_page(
    login, pasted_problems, indicators_member
):
    response = login(indicators_member).get("/indicators/pack.xlsx?month=2026-10")
    workbook = load_workbook(io.BytesIO(response.content))
    for sheet in workbook.worksheets:
        # The title and 数据截至 lines and the header stay in view.
        assert sheet.freeze_panes == "A4"
        assert sheet.print_title_rows == "$3:$3"
        assert sheet.page_setup.paperSize == 9  # A4
        assert "&P" in sheet.oddFooter.center.text
    problems = workbook.worksheets[-1]
    assert problems.column_dimensions["B"].width > problems.column_dimensions["E"].width
    raised = problems.cell(row=4, column=4)
    assert raised.is_date and raised.number_format == "yyyy-mm-dd"
    forecast = workbook.worksheets[2]
    assert forecast.page_setup.orientation == "landscape"
    assert forecast.sheet_properties.pageSetUpPr.fitToPage
    assert forecast.page_setup.fitToWidth == 1
