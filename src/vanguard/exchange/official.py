"""Official documents (公文) laid out per GB/T 9704-2012, on the Word helpers of
``exchange.documents``.

The standard's numbers: A4; top margin 37 mm, left 28 mm, type area 156 × 225 mm (so the
bottom margin is 35 mm and the right 26 mm); 22 lines of 28 characters, 3号 (16 pt) 仿宋;
page numbers in 4号 宋体 "— N —", 7 mm below the type area, outside on odd and even
pages. The fonts cannot be shipped: they are named (East Asian names set, so Word does
not fall back to its Latin font) and Word or WPS substitutes what it has.
"""

import math

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from vanguard.core.text import clean_text
from vanguard.exchange.documents import (
    A4,
    _keep_together,
    _page_number,
    _repeat_as_header,
    _set_font,
    cell_text,
)

OFFICIAL_TOP = Mm(37)
OFFICIAL_LEFT = Mm(28)
TYPE_AREA = (Mm(156), Mm(225))
OFFICIAL_LINES = 22
OFFICIAL_CHARS = 28
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
FANGSONG = ("FangSong", "仿宋_GB2312")
XIAOBIAOSONG = ("SimSun", "方正小标宋简体")
HEITI = ("SimHei", "黑体")
KAITI = ("KaiTi", "楷体_GB2312")
SONGTI = ("SimSun", "宋体")
RED = RGBColor(0xFF, 0x00, 0x00)
# Rules of the 版记 in eighths of a point: thick 0.35 mm, thin 0.25 mm.
THICK_RULE, THIN_RULE = 8, 6
TWIPS_PER_MM = 1440 / 25.4
# The height the 版记's rules add to its lines (each rule's width and its 1 pt of space),
# with a margin so that it never spills onto a page of its own.
IMPRINT_RULES_PT = 9


# LibreOffice's conversion to PDF, keeping the blank page it inserts before a 版记 that
# starts on an even page (its PDF export leaves such pages out by default).
LIBREOFFICE_PDF = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def line_pitch_twips():
    """The fixed line height that fits 22 lines in the type area's 225 mm (≈ 28.95 pt)."""
    return int(TYPE_AREA[1].mm * TWIPS_PER_MM / OFFICIAL_LINES)


def new_official_document():
    """An empty A4 document with the GB/T 9704 page, grid, body font and page numbers."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = A4
    section.top_margin = OFFICIAL_TOP
    section.left_margin = OFFICIAL_LEFT
    section.right_margin = A4[0] - OFFICIAL_LEFT - TYPE_AREA[0]
    section.bottom_margin = A4[1] - OFFICIAL_TOP - TYPE_AREA[1]
    # The page number's dashes sit 7 mm below the type area.
    section.footer_distance = section.bottom_margin - Mm(7) - SIZE_4
    _document_grid(section)
    normal = document.styles["Normal"]
    _set_font(normal, *FANGSONG, 16)
    _condense(normal, character_spacing_twentieths())
    pitch = Pt(line_pitch_twips() / 20)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = pitch
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = False
    # Odd pages carry the number on the right, even pages on the left (one character in).
    document.settings.odd_and_even_pages_header_footer = True
    _official_page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _official_page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    return document


def _document_grid(section):
    """22 lines a page: a grid of lines over the type area, one line every 28.95 pt.

    The 28 characters a line come from the characters' own width (``official_pitch``):
    a grid of characters (``linesAndChars``) with cells narrower than the 16 pt font is
    laid out by Word squeezing each character into its cell, but by LibreOffice giving
    each character two cells, half as many a line.
    """
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(line_pitch_twips()))
    sect_pr.append(grid)


def character_spacing_twentieths():
    """How much narrower than the 16 pt font each character advances, in 1/20 pt (−5):
    156 mm / 28 characters ≈ 15.79 pt, rounded down so that 28 of them always fit."""
    cell = TYPE_AREA[0].pt / OFFICIAL_CHARS
    return math.floor((cell - SIZE_3.pt) * 20)


# The run properties the schema (ECMA-376, CT_RPr) places after w:spacing.
RUN_PROPERTIES_AFTER_SPACING = [
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]


def _condense(style, twentieths):
    """Set the style's character spacing (``w:spacing`` in its run properties)."""
    r_pr = style.element.get_or_add_rPr()
    for old in r_pr.findall(qn("w:spacing")):
        r_pr.remove(old)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twentieths))
    # In the schema's order: before the first property that follows it (w:sz, w:lang ...).
    later = {qn("w:" + tag) for tag in RUN_PROPERTIES_AFTER_SPACING}
    following = next((child for child in r_pr if child.tag in later), None)
    if following is None:
        r_pr.append(spacing)
    else:
        following.addprevious(spacing)


def _runs_font(run, fonts, size, *, bold=False, colour=None):
    latin, chinese = fonts
    run.font.name = latin
    run.font.size = size
    run.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    r_fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), chinese)
    r_fonts.set(qn("w:ascii"), latin)
    r_fonts.set(qn("w:hAnsi"), latin)
    return run


def _official_page_number(paragraph, alignment):
    """“— N —” in 4号 宋体, one character in from the outer edge."""
    indent = Pt(SIZE_4.pt)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _page_number(paragraph)
    paragraph.alignment = alignment  # outside: right on odd pages, left on even ones
    for run in paragraph.runs:
        _runs_font(run, SONGTI, SIZE_4)


def _official_paragraph(
    document,
    text="",
    *,
    fonts=FANGSONG,
    size=SIZE_3,
    align=None,
    first_line_chars=0,
    colour=None,
    bold=False,
):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if first_line_chars:
        paragraph.paragraph_format.first_line_indent = Pt(size.pt * first_line_chars)
    if text:
        _runs_font(paragraph.add_run(clean_text(str(text))), fonts, size, bold=bold, colour=colour)
    return paragraph


def add_blank_lines(document, count):
    for _ in range(count):
        document.add_paragraph()


def add_red_heading(document, issuer):
    """The 发文机关标志: red 小标宋, centred, 35 mm below the top of the type area."""
    paragraph = _official_paragraph(
        document,
        issuer,
        fonts=XIAOBIAOSONG,
        size=Pt(36),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        colour=RED,
    )
    paragraph.paragraph_format.space_before = Mm(35)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    return paragraph


def add_document_number(document, number):
    """The 发文字号 two lines below the heading, centred, with the red rule 4 mm under it."""
    add_blank_lines(document, 2)
    paragraph = _official_paragraph(document, number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(paragraph, "bottom", size=12, colour="FF0000", space_pt=11)  # ≈ 4 mm
    return paragraph


def add_official_title(document, text):
    """The 标题: 2号 小标宋, centred, two lines below the red rule."""
    add_blank_lines(document, 2)
    return _official_paragraph(
        document, text, fonts=XIAOBIAOSONG, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER
    )


def add_addressee(document, text):
    """The 主送机关, one line under the title, flush left, ending with a full-width colon."""
    add_blank_lines(document, 1)
    return _official_paragraph(document, text)


def add_official_heading(document, text, level=1):
    """“一、” headings in 黑体, “（一）” headings in 楷体, both 3号 and indented two characters."""
    fonts = HEITI if level == 1 else KAITI
    return _official_paragraph(document, text, fonts=fonts, first_line_chars=2)


def add_body(document, text, *, links=()):
    """A body paragraph: 3号 仿宋, first line indented two characters.

    ``links`` are ``(text, url)`` pairs appended after the text as hyperlinks.
    """
    paragraph = _official_paragraph(document, text, first_line_chars=2)
    for label, url in links:
        add_hyperlink(paragraph, label, url)
    return paragraph


def add_hyperlink(paragraph, text, url, *, fonts=FANGSONG, size=SIZE_3):
    """``text`` linking to ``url`` (an external relationship), underlined in the text's colour."""
    rel = _link_id(paragraph.part, url)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    link.append(run)
    paragraph._p.append(link)
    from docx.text.run import Run

    wrapped = Run(run, paragraph)
    wrapped.text = clean_text(str(text))
    wrapped.font.underline = True
    _runs_font(wrapped, fonts, size)
    return wrapped


def _link_id(part, url):
    """The relationship id of a link to ``url``, one per URL, in constant time.

    ``part.relate_to`` searches every relationship for a match and for a free id, which
    makes a document with thousands of links quadratic.
    """
    links = part.__dict__.setdefault("_vanguard_links", {})
    if url not in links:
        rid = "rIdLink{}".format(len(links) + 1)
        part.rels.add_relationship(RT.HYPERLINK, url, rid, is_external=True)
        links[url] = rid
    return links[url]


def add_official_table(document, headers, rows, *, size=None):
    """A table of ``rows`` whose cells are text or ``(text, url)`` (a hyperlink)."""
    size = size or Pt(10.5)
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header, *body = table.rows
    _repeat_as_header(header)
    for cell, text in zip(header.cells, headers, strict=True):
        cell.paragraphs[0].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _runs_font(cell.paragraphs[0].add_run(clean_text(str(text))), HEITI, size)
    for row, values in zip(body, rows, strict=True):
        _keep_together(row)
        # A cell's paragraph is its first <w:p>: read directly, not through row.cells,
        # which rebuilds the row's grid on every call.
        for tc, value in zip(row._tr.tc_lst, values, strict=True):
            paragraph = Paragraph(tc.p_lst[0], row)
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            if isinstance(value, tuple):
                add_hyperlink(paragraph, value[0], value[1], size=size)
            else:
                _runs_font(paragraph.add_run(cell_text(value)), FANGSONG, size)
    return table


def add_signature(document, issuer, day):
    """署名 and 成文日期 without a seal: the issuer, and the date four characters in from the right.

    They stay on the page of the text's last paragraph: a signature never stands alone
    on a page.
    """
    last = _last_paragraph(document)
    if last is not None:
        last.paragraph_format.keep_with_next = True
    document.add_paragraph().paragraph_format.keep_with_next = True
    for text, keep in (
        (issuer, True),
        ("{}年{}月{}日".format(day.year, day.month, day.day), False),
    ):
        paragraph = _official_paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(SIZE_3.pt * 4)
        paragraph.paragraph_format.keep_with_next = keep


def _last_paragraph(document):
    """The body's last paragraph, found from the end (a long document has thousands)."""
    for element in document.element.body.iterchildren(reversed=True):
        if element.tag == qn("w:p"):
            return Paragraph(element, document._body)
        if element.tag == qn("w:tbl"):
            return None
    return None


def add_note(document, text):
    """附注: in parentheses, indented two characters."""
    return _official_paragraph(document, "（{}）".format(text), first_line_chars=2)


def add_attachment_note(document, names):
    """附件说明, one line under the text: “附件：1.×××”."""
    add_blank_lines(document, 1)
    numbered = len(names) > 1
    for i, name in enumerate(names, start=1):
        label = "附件：" if i == 1 else "　　　"
        text = "{}{}{}".format(label, "{}.".format(i) if numbered else "", name)
        _official_paragraph(document, text, first_line_chars=2)


def add_attachment_page(document, title):
    """An attachment starts on a new page with “附件” in 3号 黑体 at the top left."""
    document.add_page_break()
    _official_paragraph(document, "附件", fonts=HEITI)
    return add_official_title(document, title)


def add_imprint(document, copy_to, printer, day):
    """The 版记 at the foot of the last page, an even one: 抄送 and 印发 in 4号 仿宋 between rules.

    First and last rules thick (0.35 mm), the middle one thin (0.25 mm); one character of
    indent left and right.
    """
    _imprint_section(document)
    indent = Pt(SIZE_4.pt)
    # Above the 版记 on its page: blank lines, the last of them short by what its rules
    # add, so that its last rule ends on the last line of the type area.
    printed_lines = 2 if copy_to else 1
    add_blank_lines(document, OFFICIAL_LINES - printed_lines - 1)
    spacer = document.add_paragraph()
    spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacer.paragraph_format.line_spacing = Pt(line_pitch_twips() / 20 - IMPRINT_RULES_PT)
    _off_grid(spacer)
    lines = []
    if copy_to:
        lines.append(_official_paragraph(document, "抄送：{}。".format(copy_to), size=SIZE_4))
    printed = _official_paragraph(document, printer, size=SIZE_4)
    printed.paragraph_format.tab_stops.add_tab_stop(
        TYPE_AREA[0] - indent * 2, WD_TAB_ALIGNMENT.RIGHT
    )
    _runs_font(
        printed.add_run("\t{}年{}月{}日印发".format(day.year, day.month, day.day)), FANGSONG, SIZE_4
    )
    lines.append(printed)
    for paragraph in lines:
        paragraph.paragraph_format.left_indent = indent
        paragraph.paragraph_format.right_indent = indent
    _border(lines[0], "top", size=THICK_RULE)
    if len(lines) > 1:
        _border(lines[0], "bottom", size=THIN_RULE)
    _border(lines[-1], "bottom", size=THICK_RULE)
    return lines


def _off_grid(paragraph):
    """The paragraph keeps its own height instead of taking whole lines of the grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().insert_element_before(
        snap, *_AFTER_BORDERS[_AFTER_BORDERS.index("w:snapToGrid") + 1 :]
    )


def _imprint_section(document):
    """The 版记's own section: it starts on the next even page and sits at its foot.

    The page count is not known when the document is written, so the layout program
    places it: a section that starts on an even page (``w:type evenPage``) gets a blank
    page before it when the text ends on an even page. Its footers are empty: neither
    the 版记 page nor the blank page carries a page number. The section's text is aligned
    to the bottom of the type area (``w:vAlign bottom``, which Word honours and
    LibreOffice 7 does not); the blank lines above the 版记 bring it there in both.
    """
    section = document.add_section(WD_SECTION.EVEN_PAGE)
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:vAlign")):
        sect_pr.remove(old)
    align = OxmlElement("w:vAlign")
    align.set(qn("w:val"), "bottom")
    sect_pr.insert_element_before(
        align,
        "w:noEndnote",
        "w:titlePg",
        "w:textDirection",
        "w:bidi",
        "w:rtlGutter",
        "w:docGrid",
        "w:printerSettings",
        "w:sectPrChange",
    )
    return section


_AFTER_BORDERS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
# Borders of one paragraph in the schema's order.
_SIDES = ("top", "left", "bottom", "right", "between", "bar")


def _border(paragraph, side, *, size, colour="000000", space_pt=1):
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # The schema's order: the borders come before shading, tabs, spacing and indents.
        p_pr.insert_element_before(borders, *_AFTER_BORDERS)
    element = OxmlElement("w:" + side)
    element.set(qn("w:val"), "single")
    element.set(qn("w:sz"), str(size))
    element.set(qn("w:space"), str(space_pt))
    element.set(qn("w:color"), colour)
    later = [
        b for b in borders if b.tag in {qn("w:" + s) for s in _SIDES[_SIDES.index(side) + 1 :]}
    ]
    if later:
        later[0].addprevious(element)
    else:
        borders.append(element)
