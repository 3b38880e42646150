"""The bulletin as an official document (GB/T 9704-2012, through ``exchange.documents``)
and its XLSX annex with the full ranking.

Every figure of the document is a hyperlink to the records behind it on the site: a
unit's name to its page (its list and lights), a score to its line on the bulletin's
page, each part of a score to the records it counts. Reads only the stored bulletin:
what was issued is what is printed.
"""

from django.conf import settings
from django.utils import timezone, translation

from vanguard.exchange import documents
from vanguard.exchange import official as doc
from vanguard.exchange.xlsx import Sheet, write_workbook
from vanguard.supervision.bulletins import links
from vanguard.supervision.bulletins.facts import known_facts
from vanguard.supervision.bulletins.narrative import (
    DOCUMENT_LANGUAGE,
    NAMED,
    NEXT,
    OVERVIEW,
    PROBLEMS,
    sections,
)
from vanguard.supervision.bulletins.sections import table_of

NUMERALS = "一二三四五六七八九十"
LIST_LABELS = {"red": "红榜", "black": "黑榜"}
ADDRESSEE = "各成员单位："


def _groups(bulletin, lines):
    labels = {g["code"]: g["label"] for g in bulletin.rule.spec["groups"]}
    order = [g["code"] for g in bulletin.rule.spec["groups"]]
    grouped = {code: [] for code in order}
    for line in lines:
        grouped.setdefault(line.group, []).append(line)
    return [(code, labels.get(code, code), grouped[code]) for code in grouped if grouped[code]]


def _sorted_lines(bulletin):
    lines = list(bulletin.lines.select_related("unit"))
    lines.sort(key=lambda line: (line.rank is None, line.rank or 0, -line.score, line.unit.code))
    return lines


def cutoff_text(bulletin):
    at = timezone.localtime(bulletin.cutoff)
    return "数据截至{}年{}月{}日{}时{:02d}分".format(at.year, at.month, at.day, at.hour, at.minute)


def bulletin_docx(bulletin, base_url=None):
    """The bulletin's DOCX bytes."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _docx(bulletin, base_url)


def _docx(bulletin, base_url):
    base = base_url or settings.SITE_URL
    lines = _sorted_lines(bulletin)
    groups = _groups(bulletin, lines)
    document = doc.new_official_document()
    doc.add_red_heading(document, bulletin.issuer)
    doc.add_document_number(document, bulletin.number or "（草稿，未编号）")
    doc.add_official_title(document, bulletin.title)
    doc.add_addressee(document, ADDRESSEE)
    text = bulletin.narrative
    numbered = 0

    def heading(label):
        nonlocal numbered
        doc.add_official_heading(document, "{}、{}".format(NUMERALS[numbered], label), level=1)
        numbered += 1

    for code, label in sections():
        if code == NAMED:
            continue
        body = (text.get(code) or "").strip()
        if not body:
            continue
        heading(label)
        for part in body.splitlines():
            if part.strip():
                doc.add_body(document, part.strip())
        if code == OVERVIEW:
            doc.add_body(document, "（{}）".format(cutoff_text(bulletin)))
        table = table_of(code, lines)
        if table is not None:
            headers, rows = table
            doc.add_official_table(
                document, headers, [_absolute_cells(base, row) for row in rows], size=doc.Pt(10)
            )
        if code == PROBLEMS:
            break
    heading(dict(sections())[NAMED])
    for part in (text.get(NAMED) or "").splitlines():
        if part.strip():
            doc.add_body(document, part.strip())
    for i, (_code, label, members) in enumerate(groups):
        listed = [line for line in members if line.listed]
        if not listed:
            continue
        doc.add_official_heading(document, "（{}）{}".format(NUMERALS[i], label), level=2)
        doc.add_official_table(
            document,
            ["榜单", "排名", "单位", "得分", "扣分事项"],
            [
                (
                    LIST_LABELS[line.listed],
                    line.rank,
                    (line.unit.name, links.absolute(base, links.unit_url(line.unit.code))),
                    (
                        "{:.2f}".format(line.score),
                        links.absolute(base, links.line_url(bulletin, line.unit.code)),
                    ),
                    _deductions_text(line),
                )
                for line in listed
            ],
        )
    if (text.get(NEXT) or "").strip():
        heading(dict(sections())[NEXT])
        for part in text[NEXT].splitlines():
            if part.strip():
                doc.add_body(document, part.strip())
    doc.add_attachment_note(document, ["{}单位得分排名表".format(bulletin.month_label)])
    doc.add_signature(document, bulletin.issuer, bulletin.issued_on or timezone.localdate())
    doc.add_note(document, cutoff_text(bulletin) + "；表中数字链接至平台上的原始记录")
    doc.add_attachment_page(document, "{}单位得分排名表".format(bulletin.month_label))
    items = bulletin.rule.spec["items"]
    for i, (_code, label, members) in enumerate(groups):
        doc.add_official_heading(document, "（{}）{}".format(NUMERALS[i], label), level=2)
        rows = []
        for line in members:
            parts = {c["code"]: c for c in line.components if c["kind"] == "item"}
            row = [
                line.rank if line.ranked else "未排名",
                (line.unit.name, links.absolute(base, links.unit_url(line.unit.code))),
                (
                    "{:.2f}".format(line.score),
                    links.absolute(base, links.line_url(bulletin, line.unit.code)),
                ),
            ]
            for item in items:
                part = parts.get(item["code"])
                url = links.component_url(bulletin, line.unit.code, part) if part else None
                value = part["points"] if part else "—"
                row.append((value, links.absolute(base, url)) if url else value)
            row.append(_event_total(line, "deduction"))
            row.append(LIST_LABELS.get(line.listed, ""))
            rows.append(row)
        doc.add_official_table(
            document,
            ["排名", "单位", "得分", *[item["label"] for item in items], "扣分", "榜单"],
            rows,
            size=doc.Pt(9),
        )
    doc.add_imprint(
        document, bulletin.copy_to, bulletin.issuer, bulletin.issued_on or timezone.localdate()
    )
    return documents.document_bytes(document)


def _absolute_cells(base, row):
    """A section's row with each linked cell's url made absolute."""
    cells = []
    for cell in row:
        if isinstance(cell, tuple):
            cell = (str(cell[0]), links.absolute(base, cell[1])) if cell[1] else str(cell[0])
        cells.append(cell)
    return cells


def _event_total(line, kind):
    total = sum(float(c["points"]) for c in line.components if c["kind"] == kind)
    return "{:.2f}".format(total) if total else "0"


def _deductions_text(line):
    labels = {k: str(v) for k, v in known_facts().items()}
    parts = [
        "{}{}次".format(labels.get(c["code"], c["code"]), c["count"])
        for c in line.components
        if c["kind"] == "deduction"
    ]
    return "；".join(parts) or "—"


def bulletin_xlsx(bulletin, base_url=None):
    """The full ranking as a workbook: one row per unit, every part of its score, its facts."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _xlsx(bulletin, base_url)


def _xlsx(bulletin, base_url):
    base = base_url or settings.SITE_URL
    items = bulletin.rule.spec["items"]
    labels = known_facts()
    fact_names = sorted({fact for line in bulletin.lines.all() for fact in line.facts})
    group_labels = {g["code"]: g["label"] for g in bulletin.rule.spec["groups"]}
    headers = [
        "分组",
        "排名",
        "单位代码",
        "单位",
        "得分",
        *[item["label"] for item in items],
        "扣分",
        "加分",
        "榜单",
        *[str(labels.get(f, f)) for f in fact_names],
        "明细链接",
    ]

    def rows():
        for _code, _label, members in _groups(bulletin, _sorted_lines(bulletin)):
            for line in members:
                parts = {c["code"]: c for c in line.components if c["kind"] == "item"}
                yield [
                    group_labels.get(line.group, line.group),
                    line.rank if line.ranked else "未排名",
                    line.unit.code,
                    line.unit.name,
                    float(line.score),
                    *[
                        float(parts[i["code"]]["points"]) if i["code"] in parts else None
                        for i in items
                    ],
                    float(_event_total(line, "deduction")),
                    float(_event_total(line, "bonus")),
                    LIST_LABELS.get(line.listed, ""),
                    *[line.facts.get(f, 0) for f in fact_names],
                    links.absolute(base, links.line_url(bulletin, line.unit.code)),
                ]

    caption = [
        "{} {}".format(bulletin.number or "（草稿）", bulletin.title),
        "{}；评分规则第{}版".format(cutoff_text(bulletin), bulletin.rule.version),
    ]
    return write_workbook([Sheet(title="单位排名", headers=headers, rows=rows(), caption=caption)])


def file_name(bulletin, extension):
    return "{}月通报{}.{}".format(
        bulletin.month.strftime("%Y-%m"), bulletin.number or "草稿", extension
    )
