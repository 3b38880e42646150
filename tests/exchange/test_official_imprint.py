"""The 版记 of an official document ends the last page, an even one, at its foot; a blank
page without a number comes before it when the text ends on an even page."""

import datetime

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.exchange.pdf import (
    LINE,
    TYPE_AREA_BOTTOM,
    laid_out,
    needs_libreoffice,
    page_number_of,
)
from vanguard.exchange import official
from vanguard.exchange.documents import document_bytes

DAY = datetime.date(2026, 1, 17)


def _document(paragraphs, *, copy_to="区委办公室"):
    document = official.new_official_document()
    official.add_red_heading(document, "总指挥部办公室")
    official.add_document_number(document, "西海岸攻坚办〔2026〕1号")
    official.add_official_title(document, "关于测试的通知")
    for i in range(paragraphs):
        official.add_body(document, "第{}项工作按计划推进。".format(i + 1))
    official.add_signature(document, "总指挥部办公室", DAY)
    official.add_imprint(document, copy_to, "总指挥部办公室", DAY)
    return document_bytes(document)


def test_the_imprint_is_a_section_starting_on_an_even_page_at_the_foot_without_numbers():
    import io

    document = Document(io.BytesIO(_document(3)))
    last = document.sections[-1]
    assert len(document.sections) == 2
    assert last._sectPr.find(qn("w:type")).get(qn("w:val")) == "evenPage"
    assert last._sectPr.find(qn("w:vAlign")).get(qn("w:val")) == "bottom"
    for footer in (last.footer, last.even_page_footer):
        assert not footer.is_linked_to_previous and "PAGE" not in footer._element.xml
    order = [child.tag.split("}")[1] for child in last._sectPr]
    assert order.index("type") < order.index("pgSz") < order.index("vAlign")
    assert order.index("vAlign") < order.index("docGrid")


@needs_libreoffice
@pytest.mark.parametrize("paragraphs", [3, 14, 30])
def test_in_libreoffice_the_imprint_ends_an_even_last_page_at_its_foot(paragraphs):
    pages = laid_out(_document(paragraphs))
    last = pages[-1]
    assert len(pages) % 2 == 0, [page.text for page in pages]
    assert "印发" in last.text and "抄送" in last.text
    # The last line of the 版记 is the last line of the type area.
    assert TYPE_AREA_BOTTOM - LINE < last.lowest("印发") <= TYPE_AREA_BOTTOM
    assert page_number_of(last) is None
    text_pages = [page for page in pages[:-1] if page.text.strip()]
    # Every page of the text is numbered; a page before the 版记 is blank and unnumbered.
    assert [page_number_of(page) for page in text_pages] == [page.number for page in text_pages]
    blank = pages[len(text_pages) : -1]
    assert len(blank) in (0, 1) and all(not page.words for page in blank)


@needs_libreoffice
def test_a_text_ending_on_an_even_page_gets_a_blank_page_before_the_imprint():
    # Fourteen lines of text and the signature run onto a second page.
    pages = laid_out(_document(14))
    assert len(pages) == 4 and not pages[2].words
    assert [page_number_of(page) for page in pages] == [1, 2, None, None]


@needs_libreoffice
def test_an_imprint_without_copy_to_still_ends_at_the_foot():
    pages = laid_out(_document(3, copy_to=""))
    assert len(pages) == 2 and "抄送" not in pages[-1].text
    assert TYPE_AREA_BOTTOM - LINE < pages[-1].lowest("印发") <= TYPE_AREA_BOTTOM
