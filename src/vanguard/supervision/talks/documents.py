"""The talk's documents in the official layout (GB/T 9704-2012, ``exchange.official``, the
same as the monthly bulletin's): the notice (约谈通知书), the talk record (约谈记录) and
the referral letter (问责移交函).

Each carries the red heading (the office's name), the number with 〔〕 under it and the
red rule, the title, the text, the signature and date and 数据截至; the notice and the
letter, which are sent, end with the 版记 at the foot of an even page.
"""

from django.conf import settings
from django.utils import timezone

from vanguard.exchange import official as doc
from vanguard.exchange.documents import document_bytes

# The notice number's prefix, as the office writes it: 西海岸攻坚办约〔2026〕3号.
DEFAULT_PREFIX = "西海岸攻坚办约"


def notice_prefix():
    return getattr(settings, "TALK_NOTICE_PREFIX", "") or DEFAULT_PREFIX


def full_notice_number(talk):
    return notice_prefix() + talk.notice_number if talk.notice_seq else ""


def chinese_date(day):
    """2026年1月17日: arabic numerals, no zero padding."""
    return "{}年{}月{}日".format(day.year, day.month, day.day) if day else "—"


def issuer_of(campaign):
    office = getattr(getattr(campaign, "headquarters", None), "office", None)
    return office.name if office is not None else "攻坚行动指挥部办公室"


def _document(issuer, number, title):
    """A document with the red heading, its number, the red rule and the title."""
    document = doc.new_official_document()
    doc.add_red_heading(document, issuer)
    doc.add_document_number(document, number)
    doc.add_official_title(document, title)
    return document


def _close(document, issuer, day, *, imprint):
    """The signature and date, 数据截至 as a note and, for a document sent, the 版记."""
    doc.add_signature(document, issuer, day)
    data_at = timezone.localtime(timezone.now())
    doc.add_note(document, "数据截至{}".format(data_at.strftime("%Y-%m-%d %H:%M")))
    if imprint:
        doc.add_imprint(document, "", issuer, day)
    return document_bytes(document)


def notice_docx(talk, issuer):
    """The notice (约谈通知书) of a notified talk, as DOCX bytes."""
    document = _document(issuer, full_notice_number(talk), "约谈通知书")
    doc.add_addressee(document, "{}：".format(talk.unit.name))
    doc.add_body(
        document,
        "因{}（{}），经领导批准，决定对你单位有关负责同志进行{}。".format(
            talk.subject_label, talk.reason, talk.get_talk_type_display()
        ),
    )
    doc.add_body(document, "一、约谈时间：{}".format(chinese_date(talk.scheduled_on)))
    doc.add_body(document, "二、约谈地点：{}".format(talk.place or "另行通知"))
    doc.add_body(
        document,
        "三、请你单位主要负责同志和分管负责同志准时参加，如实说明情况，可进行陈述申辩；"
        "约谈后15日内提交书面整改承诺并按期落实。",
    )
    day = timezone.localtime(talk.notified_at).date() if talk.notified_at else talk.scheduled_on
    return _close(document, issuer, day, imprint=True)


def record_docx(talk, issuer, interviewers, interviewees):
    """The talk record (约谈记录) with the unit's statement and defence, as DOCX bytes."""
    document = _document(issuer, full_notice_number(talk), "约谈记录")
    doc.add_blank_lines(document, 1)
    for label, value in (
        ("约谈事项", talk.subject_label),
        ("被约谈单位", talk.unit.name),
        ("约谈类型", talk.get_talk_type_display()),
        ("约谈时间", chinese_date(talk.held_on)),
        ("约谈地点", talk.place or "—"),
        ("约谈人", "、".join(interviewers) or "—"),
        ("被约谈人", "、".join(interviewees) or "—"),
    ):
        doc.add_body(document, "{}：{}".format(label, value))
    for heading, text in (
        ("一、约谈事实", talk.facts),
        ("二、陈述申辩", talk.statement or "未作陈述申辩。"),
        ("三、整改要求", talk.requirements),
        ("四、书面承诺", "{}（承诺期限：{}）".format(talk.pledge, chinese_date(talk.pledge_due))),
    ):
        doc.add_official_heading(document, heading, level=1)
        for line in (text or "—").splitlines() or ["—"]:
            doc.add_body(document, line)
    return _close(document, issuer, talk.held_on, imprint=False)


def referral_docx(referral, issuer):
    """The referral letter (问责移交函) and, once decided, the commission's decision."""
    referred_on = timezone.localtime(referral.referred_at).date()
    number = "{}〔{}〕{}号".format(
        notice_prefix().rstrip("约") + "移", referred_on.year, referral.pk
    )
    document = _document(issuer, number, "关于移交问责线索的函")
    doc.add_addressee(document, "区纪委监委：")
    doc.add_body(
        document,
        "{}在{}中工作滞后，经约谈后仍未改善。现将有关情况及卷宗材料移交，请依规依纪处理。".format(
            referral.unit.name, referral.subject_label
        ),
    )
    doc.add_body(document, "移交理由：{}".format(referral.reason))
    if referral.decided_on:
        doc.add_official_heading(document, "处理决定", level=1)
        doc.add_body(document, "处理措施：{}".format("、".join(referral.measure_labels())))
        doc.add_body(document, "决定日期：{}".format(chinese_date(referral.decided_on)))
        for line in referral.decision.splitlines():
            doc.add_body(document, line)
    return _close(document, issuer, referred_on, imprint=True)
