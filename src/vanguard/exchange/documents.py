"""Word documents the way offices print them.

A4 with the page number in the footer (“— 1 —”, as official documents number their
pages), the real Title and Heading styles (so Word's navigation pane and table of
contents find them), Song for the text and Hei for the headings; tables whose header
row repeats on every page, whose rows do not break across pages and whose columns are
as wide as their content allows. Every text is cleaned of control characters, which
a Word document cannot hold.
"""

import datetime
import io
from decimal import Decimal

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from vanguard.core.text import clean_text, display_width

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

A4 = (Cm(21), Cm(29.7))
SIDE_MARGIN = Cm(2.6)
TOP_MARGIN = Cm(3.0)
BOTTOM_MARGIN = Cm(2.5)
HEADER_FILL = "DDEBF7"
PICTURE_WIDTH = Cm(15.5)

# (style, Latin font, Chinese font, size in points)
_FONTS = (
    ("Normal", "SimSun", "宋体", 11),
    ("Title", "SimHei", "黑体", 16),
    ("Heading 1", "SimHei", "黑体", 14),
    ("Heading 2", "KaiTi", "楷体", 12),
)
# A long header wraps rather than widening its column.
HEADER_WIDTH = 8
MIN_COLUMN_WIDTH = 4
# Word's default cell margins, left and right (0.19 cm each).
CELL_PADDING = Cm(0.38)


def new_document():
    """An empty A4 document with the office's fonts and page numbers."""
    document = Document()
    for name, latin, chinese, size in _FONTS:
        _set_font(document.styles[name], latin, chinese, size)
    title = document.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The default template underlines the title with a blue rule.
    for border in title.element.xpath("./w:pPr/w:pBdr"):
        border.getparent().remove(border)
    for section in document.sections:
        section.page_width, section.page_height = A4
        section.left_margin = section.right_margin = SIDE_MARGIN
        section.top_margin, section.bottom_margin = TOP_MARGIN, BOTTOM_MARGIN
        _page_number(section.footer.paragraphs[0])
    return document


def _set_font(style, latin, chinese, size):
    style.font.name = latin
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    # Theme fonts would win over the named ones.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:eastAsia"), chinese)


def _page_number(paragraph):
    """“— 1 —” centred: the PAGE field between two dashes."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "1":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)
    paragraph.add_run(" —")


def add_title(document, text):
    return document.add_paragraph(clean_text(str(text)), style="Title")


def add_heading(document, text, level=1):
    return document.add_heading(clean_text(str(text)), level=level)


def add_paragraph(document, text, *, centred=False):
    paragraph = document.add_paragraph(clean_text(str(text)))
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def add_picture(document, png, width=PICTURE_WIDTH):
    document.add_picture(io.BytesIO(png), width=width)
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def cell_text(value, *, rate=False):
    """A value as a table shows it: "—" for nothing, a rate with one decimal (-7.0, as
    the pages show it), other numbers without trailing zeros."""
    if value is None:
        return "—"
    if isinstance(value, float | Decimal):
        if rate:
            return "{:.1f}".format(value)
        return "{:.2f}".format(value).rstrip("0").rstrip(".")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return clean_text(str(value))


def add_table(document, headers, rows, *, font_size=9, empty=None):
    """A table: header row repeated on each page, numbers on the right, columns fitted.

    With no rows and an ``empty`` sentence ("No warning this month."), that sentence
    stands in for the table; the paragraph is returned instead.
    """
    headers = [clean_text(str(h)) for h in headers]
    rows = [list(r) for r in rows]
    if not rows and empty is not None:
        return add_paragraph(document, empty)
    rates = [("%" in h or "％" in h) for h in headers]
    texts = [[cell_text(v, rate=rates[i]) for i, v in enumerate(r)] for r in rows]
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _fitted_widths(document, headers, texts, font_size)
    for index, column in enumerate(table.columns):
        column.width = widths[index]
    header, *body = table.rows
    _repeat_as_header(header)
    for index, text in enumerate(headers):
        cell = header.cells[index]
        cell.width = widths[index]
        _shade(cell, HEADER_FILL)
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(font_size)
    for values, line, row in zip(rows, texts, body, strict=True):
        _keep_together(row)
        for index, cell in enumerate(row.cells):
            cell.width = widths[index]
            paragraph = cell.paragraphs[0]
            paragraph.add_run(line[index]).font.size = Pt(font_size)
            if _is_number(values[index]):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()
    return table


def _is_number(value):
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _fitted_widths(document, headers, texts, font_size):
    """Column widths that fill the text width: short columns get all they need.

    A column needs its longest line (a Chinese character is as wide as the font is
    high, a Latin one half that) and the cell's padding; what is left after the
    columns that fit is shared by the long ones, in proportion, and their text wraps.
    """
    section = document.sections[-1]
    available = section.page_width - section.left_margin - section.right_margin
    needs = []
    for index, header in enumerate(headers):
        need = min(display_width(header), HEADER_WIDTH)
        for line in texts:
            need = max(need, *(display_width(part) for part in line[index].split("\n")))
        needs.append(Pt(max(need, MIN_COLUMN_WIDTH) * font_size / 2) + CELL_PADDING)
    widths = [None] * len(needs)
    left, open_columns = available, list(range(len(needs)))
    while open_columns:
        share = left / len(open_columns)
        fitting = [i for i in open_columns if needs[i] <= share]
        if not fitting:
            wanted = sum(needs[i] for i in open_columns)
            for i in open_columns:
                widths[i] = left * needs[i] / wanted
            break
        for i in fitting:
            widths[i] = needs[i]
            left -= needs[i]
        open_columns = [i for i in open_columns if i not in fitting]
    # Everything fits: the spare width goes to every column alike, in proportion.
    scale = available / sum(widths)
    return [Emu(int(w * scale)) for w in widths]


def _repeat_as_header(row):
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)
    _keep_together(row)


def _keep_together(row):
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    properties.insert(0, element)


def _shade(cell, colour):
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def document_bytes(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
