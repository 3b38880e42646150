"""The bulletin's DOCX read back: the GB/T 9704-2012 numbers, the links, the 版记; the XLSX."""

import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu, Mm

from tests.exchange.pdf import LINE, TYPE_AREA_BOTTOM, laid_out, needs_libreoffice, page_number_of
from tests.supervision.test_bulletins import _client, _draft, _issue, world  # noqa: F401
from vanguard.supervision.models import Bulletin

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world, office_clerk):  # noqa: F811
    office = _client(office_clerk)
    bulletin = _draft(office)
    edit = {
        "version": bulletin.version,
        "title": "关于攻坚行动推进情况的通报",
        "copy_to": "区委办公室",
    }
    edit["section_overview"] = "本月总体平稳。"
    edit["section_named"] = "通报发改局。"
    office.post("/supervision/bulletins/{}/edit/".format(bulletin.pk), edit)
    bulletin.refresh_from_db()
    _issue(office, bulletin, "西海岸攻坚办〔2026〕11号")
    return Bulletin.objects.get(pk=bulletin.pk)


@pytest.fixture
def docx(issued, tmp_path):
    out = tmp_path / "b.docx"
    month = issued.month.strftime("%Y-%m")
    call_command(
        "bulletin",
        "docx",
        "--campaign",
        issued.campaign.code,
        "--month",
        month,
        "--out",
        str(out),
        "--base-url",
        "https://vanguard.example",
        stdout=StringIO(),
    )
    return Document(str(out))


def _near(length, mm):
    return abs(Emu(length).mm - mm) < 0.1


def test_the_page_is_a4_with_the_standard_margins_and_type_area(docx):
    section = docx.sections[0]
    assert _near(section.page_width, 210) and _near(section.page_height, 297)
    assert _near(section.top_margin, 37) and _near(section.left_margin, 28)
    assert _near(section.page_width - section.left_margin - section.right_margin, 156)
    assert _near(section.page_height - section.top_margin - section.bottom_margin, 225)


def test_the_grid_is_22_lines_of_28_characters_with_fixed_line_spacing(docx):
    grid = docx.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    pitch = int(grid.get(qn("w:linePitch")))
    assert 22 * pitch <= Mm(225).twips < 23 * pitch
    normal = docx.styles["Normal"]
    # Each character advances 16 pt less the condensed spacing (1/20 pt): 28 of them fit
    # across 156 mm, and a 29th does not (the same in Word, WPS and LibreOffice).
    spacing = normal.element.rPr.find(qn("w:spacing"))
    advance = 16 + int(spacing.get(qn("w:val"))) / 20
    assert 28 * advance <= Mm(156).pt < 29 * advance
    order = [child.tag for child in normal.element.rPr]
    assert order.index(qn("w:spacing")) < order.index(qn("w:sz"))
    assert normal.paragraph_format.line_spacing.twips == pitch
    assert normal.font.size.pt == 16
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def _runs(docx):
    for paragraph in docx.paragraphs:
        for run in paragraph.runs:
            yield paragraph, run


def _east_asian(run):
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def test_the_red_heading_number_title_and_headings(docx):
    runs = {run.text: (paragraph, run) for paragraph, run in _runs(docx)}
    heading = next(
        run
        for _p, run in _runs(docx)
        if run.font.color.rgb is not None and str(run.font.color.rgb) == "FF0000"
    )
    assert _east_asian(heading) == "方正小标宋简体"
    number_paragraph, number = runs["西海岸攻坚办〔2026〕11号"]
    # The red rule under the number.
    rule = number_paragraph._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    _p, title = runs["关于攻坚行动推进情况的通报"]
    assert title.font.size.pt == 22 and _east_asian(title) == "方正小标宋简体"
    _p, first = runs["一、总体情况"]
    assert _east_asian(first) == "黑体" and first.font.size.pt == 16
    second = [run for text, (_p, run) in runs.items() if text.startswith("（一）")]
    assert second and all(_east_asian(run) == "楷体_GB2312" for run in second)
    body = "\n".join(p.text for p in docx.paragraphs)
    assert "本月总体平稳。" in body and "数据截至" in body and "附件：" in body


def test_page_numbers_are_dashes_around_the_page_field_in_4_hao_song(docx):
    section = docx.sections[0]
    assert docx.settings.odd_and_even_pages_header_footer
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert "PAGE" in paragraph._p.xml
        assert paragraph.alignment is not None and side in str(paragraph.alignment).lower()
        assert all(run.font.size.pt == 14 and _east_asian(run) == "宋体" for run in paragraph.runs)


def test_the_imprint_has_its_rules_and_every_figure_links_to_its_records(docx, issued):
    imprint = [p for p in docx.paragraphs if p.text.startswith("抄送：")][0]
    borders = imprint._p.pPr.find(qn("w:pBdr"))
    assert borders.find(qn("w:top")).get(qn("w:sz")) == "8"
    assert borders.find(qn("w:bottom")).get(qn("w:sz")) == "6"
    printed = docx.paragraphs[-1]
    assert "印发" in printed.text
    assert printed._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:sz")) == "8"
    assert imprint.runs[0].font.size.pt == 14
    # The 版记 page is a section of its own from an even page, without a page number.
    last = docx.sections[-1]
    assert len(docx.sections) == 2 and not last.footer.is_linked_to_previous
    assert last._sectPr.find(qn("w:type")).get(qn("w:val")) == "evenPage"
    assert (
        "PAGE" not in last.footer._element.xml and "PAGE" not in last.even_page_footer._element.xml
    )
    assert _near(last.top_margin, 37) and last._sectPr.find(qn("w:docGrid")) is not None
    targets = {rel.target_ref for rel in docx.part.rels.values() if rel.is_external}
    assert "https://vanguard.example/org/units/fgj/" in targets
    assert "https://vanguard.example/projects/?unit=fgj" in targets
    assert (
        "https://vanguard.example/supervision/bulletins/{}/#unit-fgj".format(issued.pk) in targets
    )


def test_the_xlsx_annex_holds_every_line(issued, office_clerk):
    response = _client(office_clerk).get("/supervision/bulletins/{}/ranking.xlsx".format(issued.pk))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    codes = {row[2] for row in sheet.iter_rows(values_only=True) if row[2] in ("fgj", "hdjd")}
    assert codes == {"fgj", "hdjd"}
    assert "数据截至" in str(sheet.cell(row=2, column=1).value)


@needs_libreoffice
def test_in_libreoffice_the_imprint_ends_the_last_page_an_even_one(issued, office_clerk):
    response = _client(office_clerk).get(
        "/supervision/bulletins/{}/bulletin.docx".format(issued.pk)
    )
    pages = laid_out(response.content)
    assert len(pages) % 2 == 0
    last = pages[-1]
    assert "印发" in last.text and "抄送：区委办公室。" in last.text
    assert TYPE_AREA_BOTTOM - LINE < last.lowest("印发") <= TYPE_AREA_BOTTOM
    numbered = [page_number_of(page) for page in pages[:-1] if page.words]
    assert numbered == list(range(1, len(numbered) + 1)) and page_number_of(last) is None
