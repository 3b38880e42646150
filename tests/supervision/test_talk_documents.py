"""The talk's documents in the official layout of the bulletin (GB/T 9704-2012): the
notice downloaded from the talk's page, the record and the referral letter from the case
file, each read back; in LibreOffice the 版记 ends an even page."""

import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu, Mm

from tests.exchange.pdf import (
    LINE,
    TYPE_AREA_BOTTOM,
    laid_out,
    needs_libreoffice,
    page_number_of,
)
from tests.supervision import test_talks
from tests.supervision.test_talks import hold, propose, referred

# The talks' fixtures, shared.
as_user = test_talks.as_user
red_project = test_talks.red_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(as_user, office_clerk, leader, fgj_reporter, red_project, fgj):
    talk = propose(as_user, office_clerk, red_project, fgj)
    return hold(as_user, office_clerk, leader, fgj_reporter, talk)


def _notice(client, talk):
    response = client.get("/supervision/talks/{}/notice.docx".format(talk.pk))
    assert response.status_code == 200
    return response.content


def _near(length, mm):
    return abs(Emu(length).mm - mm) < 0.1


def _east_asian(run):
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def test_the_notice_has_the_bulletins_layout(as_user, office_clerk, notified):
    document = Document(io.BytesIO(_notice(as_user(office_clerk), notified)))
    section = document.sections[0]
    assert _near(section.top_margin, 37) and _near(section.left_margin, 28)
    assert _near(section.page_width - section.left_margin - section.right_margin, 156)
    assert _near(section.page_height - section.top_margin - section.bottom_margin, 225)
    # 22 lines of 28 characters: the line pitch and the condensed characters.
    pitch = int(section._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")))
    assert 22 * pitch <= Mm(225).twips < 23 * pitch
    normal = document.styles["Normal"]
    advance = 16 + int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert 28 * advance <= Mm(156).pt < 29 * advance
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    paragraphs = {p.text: p for p in document.paragraphs if p.text}
    heading = next(p for p in document.paragraphs if p.text == "总指挥部办公室")
    assert str(heading.runs[0].font.color.rgb) == "FF0000"
    assert _east_asian(heading.runs[0]) == "方正小标宋简体"
    number = paragraphs["西海岸攻坚办约〔{}〕1号".format(notified.scheduled_on.year)]
    assert number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "FF0000"
    title = paragraphs["约谈通知书"]
    assert title.runs[0].font.size.pt == 22 and _east_asian(title.runs[0]) == "方正小标宋简体"
    assert "区发展和改革局：" in paragraphs
    assert any(text.startswith("（数据截至") for text in paragraphs)
    # “— N —” outside on odd and even pages, in 4号 宋体.
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        paragraph = footer.paragraphs[0]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert all(run.font.size.pt == 14 and _east_asian(run) == "宋体" for run in paragraph.runs)
    # The 版记: its own section, from an even page, the office printing it on the notice's day.
    imprint = document.sections[-1]
    assert imprint._sectPr.find(qn("w:type")).get(qn("w:val")) == "evenPage"
    printed = document.paragraphs[-1]
    notified_on = notified.notified_at.astimezone().date()
    assert printed.text == "总指挥部办公室\t{}年{}月{}日印发".format(
        notified_on.year, notified_on.month, notified_on.day
    )
    assert printed._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:sz")) == "8"


def test_who_may_download_the_notice(
    as_user,
    office_clerk,
    leader,
    projects_member,
    fgj_reporter,
    hdjd_reporter,
    inspector,
    notified,
):
    url = "/supervision/talks/{}/notice.docx".format(notified.pk)
    for user in (office_clerk, leader, projects_member, fgj_reporter):
        response = as_user(user).get(url)
        assert response.status_code == 200, user.username
        assert "约谈通知书" in [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert as_user(hdjd_reporter).get(url).status_code == 404
    assert as_user(inspector).get(url).status_code == 403


def test_the_record_and_the_referral_letter_share_the_layout(
    as_user,
    office_clerk,
    leader,
    fgj_reporter,
    inspector,
    red_project,
    fgj,
):
    referral = referred(as_user, office_clerk, leader, fgj_reporter, red_project, fgj)
    content = (
        as_user(inspector)
        .get("/supervision/referrals/{}/case-file.zip".format(referral.pk))
        .content
    )
    archive = zipfile.ZipFile(io.BytesIO(content))
    record = Document(io.BytesIO(archive.read("documents/约谈记录.docx")))
    letter = Document(io.BytesIO(archive.read("documents/问责移交函.docx")))
    for document in (record, letter):
        normal = document.styles["Normal"]
        assert normal.element.rPr.find(qn("w:spacing")) is not None
        assert document.settings.odd_and_even_pages_header_footer
    record_texts = [p.text for p in record.paragraphs]
    assert "约谈记录" in record_texts and "二、陈述申辩" in record_texts
    assert "用地指标未落实，非主观原因" in record_texts
    # The record is kept, not sent: no 版记. The letter is sent: it has one.
    assert len(record.sections) == 1
    assert len(letter.sections) == 2 and letter.paragraphs[-1].text.endswith("印发")
    assert "区纪委监委：" in [p.text for p in letter.paragraphs]


@needs_libreoffice
def test_in_libreoffice_the_notice_ends_with_its_imprint_on_an_even_page(
    as_user, office_clerk, notified
):
    pages = laid_out(_notice(as_user(office_clerk), notified))
    assert len(pages) % 2 == 0
    assert "约谈通知书" in pages[0].text and page_number_of(pages[0]) == 1
    last = pages[-1]
    assert "印发" in last.text and page_number_of(last) is None
    assert TYPE_AREA_BOTTOM - LINE < last.lowest("印发") <= TYPE_AREA_BOTTOM
    # The signature stays with the text: no page holds it alone.
    signed = next(page for page in pages if "数据截至" in page.text)
    assert "约谈后15日内" in signed.text.replace(" ", "")
