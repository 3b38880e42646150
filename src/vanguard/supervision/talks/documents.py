"""The talk's documents in the official layout (GB/T 9704-2012): the notice (约谈通知书),
the talk record (约谈记录) and the referral letter (问责移交函).

A4; margins 37 mm top, 28 mm left, type area 156 × 225 mm; red heading (the office's
name, 小标宋) and a red rule under the number (〔2026〕3号); title 2号 (22 pt) 小标宋;
body 3号 (16 pt) 仿宋 with the East Asian font named (Word otherwise shows Chinese in
its fallback font), fixed 28.95 pt lines for 22 lines a page; "— N —" page numbers in
4号 宋体. The fonts cannot be shipped: they are named and Word or WPS substitutes.
"""

from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from vanguard.core.text import clean_text
from vanguard.exchange.documents import document_bytes

RED = RGBColor(0xE6, 0x00, 0x12)
FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
SONGTI = "宋体"
BODY_PT = 16
LINE_PT = 28.95
# The notice number's prefix, as the office writes it: 西海岸攻坚办约〔2026〕3号.
DEFAULT_PREFIX = "西海岸攻坚办约"


def notice_prefix():
    return getattr(settings, "TALK_NOTICE_PREFIX", "") or DEFAULT_PREFIX


def full_notice_number(talk):
    return notice_prefix() + talk.notice_number if talk.notice_seq else ""


def chinese_date(day):
    """2026年1月17日: arabic numerals, no zero padding."""
    return "{}年{}月{}日".format(day.year, day.month, day.day) if day else "—"


def _fonts(run, east_asian, latin="Times New Roman", size=BODY_PT, bold=False, colour=None):
    run.font.name = latin
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour or RGBColor(0, 0, 0)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    return run


def _paragraph(
    document,
    text="",
    *,
    font=FANGSONG,
    size=BODY_PT,
    align=None,
    indent=2,
    bold=False,
    colour=None,
    right_indent=0,
):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * indent)
    if right_indent:
        fmt.right_indent = Pt(BODY_PT * right_indent)
    if align is not None:
        paragraph.alignment = align
    if text:
        _fonts(paragraph.add_run(clean_text(str(text))), font, size=size, bold=bold, colour=colour)
    return paragraph


def _red_rule(paragraph):
    """A red line 4 mm (11 pt) under the paragraph, as wide as the type area."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "11"), ("color", "E60012")):
        bottom.set(qn("w:" + key), value)
    borders.append(bottom)
    properties.append(borders)


def _page_number(section):
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(paragraph.add_run("— "), SONGTI, size=14)
    run = _fonts(paragraph.add_run(), SONGTI, size=14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _fonts(paragraph.add_run(" —"), SONGTI, size=14)


def _line_grid(section):
    """The document grid of 22 lines a page: one line every 28.95 pt (579 twips)."""
    properties = section._sectPr
    for grid in properties.findall(qn("w:docGrid")):
        properties.remove(grid)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))
    properties.append(grid)


def official_document(issuer, number, title):
    """A document with the red heading, its number, the red rule and the title."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:eastAsia"), FANGSONG)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    _line_grid(section)
    _page_number(section)
    # The heading's top edge sits 35 mm below the type area's top: about three lines.
    for _line in range(3):
        _paragraph(document, indent=0)
    _paragraph(
        document,
        issuer,
        font=XIAOBIAOSONG,
        size=36,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=0,
        colour=RED,
    )
    _paragraph(document, indent=0)
    _paragraph(document, indent=0)
    number_line = _paragraph(document, number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    _red_rule(number_line)
    _paragraph(document, indent=0)
    _paragraph(document, indent=0)
    _paragraph(
        document, title, font=XIAOBIAOSONG, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0
    )
    _paragraph(document, indent=0)
    return document


def _signature(document, issuer, day, data_at):
    _paragraph(document, indent=0)
    _paragraph(document, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0, right_indent=2)
    _paragraph(
        document, chinese_date(day), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0, right_indent=4
    )
    _paragraph(document, indent=0)
    _paragraph(
        document,
        "（数据截至{}）".format(timezone.localtime(data_at).strftime("%Y-%m-%d %H:%M")),
        indent=2,
    )


def issuer_of(campaign):
    office = getattr(getattr(campaign, "headquarters", None), "office", None)
    return office.name if office is not None else "攻坚行动指挥部办公室"


def notice_docx(talk, issuer):
    """The notice (约谈通知书) of a notified talk, as DOCX bytes."""
    document = official_document(issuer, full_notice_number(talk), "约谈通知书")
    _paragraph(document, "{}：".format(talk.unit.name), indent=0)
    _paragraph(
        document,
        "因{}（{}），经领导批准，决定对你单位有关负责同志进行{}。".format(
            talk.subject_label, talk.reason, talk.get_talk_type_display()
        ),
    )
    _paragraph(document, "一、约谈时间：{}".format(chinese_date(talk.scheduled_on)))
    _paragraph(document, "二、约谈地点：{}".format(talk.place or "另行通知"))
    _paragraph(
        document,
        "三、请你单位主要负责同志和分管负责同志准时参加，如实说明情况，可进行陈述申辩；"
        "约谈后15日内提交书面整改承诺并按期落实。",
    )
    _signature(
        document,
        issuer,
        timezone.localtime(talk.notified_at).date() if talk.notified_at else talk.scheduled_on,
        timezone.now(),
    )
    return document_bytes(document)


def record_docx(talk, issuer, interviewers, interviewees):
    """The talk record (约谈记录) with the unit's statement and defence, as DOCX bytes."""
    document = official_document(issuer, full_notice_number(talk), "约谈记录")
    lines = [
        ("约谈事项", talk.subject_label),
        ("被约谈单位", talk.unit.name),
        ("约谈类型", talk.get_talk_type_display()),
        ("约谈时间", chinese_date(talk.held_on)),
        ("约谈地点", talk.place or "—"),
        ("约谈人", "、".join(interviewers) or "—"),
        ("被约谈人", "、".join(interviewees) or "—"),
    ]
    for label, value in lines:
        _paragraph(document, "{}：{}".format(label, value), indent=0)
    for heading, text in (
        ("一、约谈事实", talk.facts),
        ("二、陈述申辩", talk.statement or "未作陈述申辩。"),
        ("三、整改要求", talk.requirements),
        ("四、书面承诺", "{}（承诺期限：{}）".format(talk.pledge, chinese_date(talk.pledge_due))),
    ):
        _paragraph(document, heading, font=HEITI, indent=2)
        for line in (text or "—").splitlines() or ["—"]:
            _paragraph(document, line)
    _signature(document, issuer, talk.held_on, timezone.now())
    return document_bytes(document)


def referral_docx(referral, issuer):
    """The referral letter (问责移交函) and, once decided, the commission's decision."""
    number = "{}〔{}〕{}号".format(
        notice_prefix().rstrip("约") + "移",
        timezone.localtime(referral.referred_at).year,
        referral.pk,
    )
    document = official_document(issuer, number, "关于移交问责线索的函")
    _paragraph(document, "区纪委监委：", indent=0)
    _paragraph(
        document,
        "{}在{}中工作滞后，经约谈后仍未改善。现将有关情况及卷宗材料移交，请依规依纪处理。".format(
            referral.unit.name, referral.subject_label
        ),
    )
    _paragraph(document, "移交理由：{}".format(referral.reason))
    if referral.decided_on:
        _paragraph(document, "处理决定", font=HEITI)
        _paragraph(document, "处理措施：{}".format("、".join(referral.measure_labels())))
        _paragraph(document, "决定日期：{}".format(chinese_date(referral.decided_on)))
        for line in referral.decision.splitlines():
            _paragraph(document, line)
    _signature(document, issuer, timezone.localtime(referral.referred_at).date(), timezone.now())
    return document_bytes(document)
