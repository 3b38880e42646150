"""The Word helper every document uses (the monthly pack now, the bulletin and notices next)."""

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from vanguard.exchange import documents


def reopened(document):
    return Document(io.BytesIO(documents.document_bytes(document)))


def test_a_new_document_is_a4_with_the_official_page_number_in_the_footer():
    document = reopened(documents.new_document())

    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == round(section.right_margin.cm, 1) == 2.6
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    fields = footer._p.xpath(".//w:instrText")
    assert [f.text.strip() for f in fields] == ["PAGE"]


def test_headings_use_the_real_styles_in_hei_and_kai():
    document = documents.new_document()
    documents.add_title(document, "关于\x0b重点指标的通报")
    documents.add_heading(document, "一、总体情况")
    documents.add_heading(document, "（一）工业", level=2)
    document = reopened(document)

    title, first, second = document.paragraphs
    assert (title.style.name, title.text) == ("Title", "关于\n重点指标的通报")
    assert (first.style.name, second.style.name) == ("Heading 1", "Heading 2")
    fonts = document.styles["Heading 1"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "黑体"
    assert document.styles["Heading 2"].element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体"


def test_a_table_repeats_its_header_row_and_keeps_rows_whole():
    document = documents.new_document()
    documents.add_table(document, ["单位", "增速(%)"], [["区发改局", 7.84], ["区工信局", None]])
    table = reopened(document).tables[0]

    header, *body = table.rows
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert [[c.text for c in row.cells] for row in body] == [["区发改局", "7.8"], ["区工信局", "—"]]
    width = sum(column.width for column in table.columns)
    assert abs(width - (Cm(21) - 2 * documents.SIDE_MARGIN)) < Cm(0.1)


def test_a_table_without_rows_says_so_in_a_sentence_when_given_one():
    document = documents.new_document()
    documents.add_table(document, ["问题"], [], empty="本月无预警。")
    document = reopened(document)

    assert document.tables == []
    assert [p.text for p in document.paragraphs] == ["本月无预警。"]
