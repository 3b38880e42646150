"""Where the data is in an office's sheet: the header under title rows, the rows below it.

The header is the row among the first ones that names the most known columns, by
header or alias; a header's bracketed note ("总投资（万元）") reaches the parser. Below
it, every row with a value in a known column is data, except section headings
("一、先进制造业项目（3个）") and notes, totals and signature lines, which are skipped
and named in a note, as hidden sheets, rows and columns are
(docs/decisions/0013-office-workbooks-on-import.md).
"""

import re

from django.utils.translation import gettext as _

from vanguard.exchange.importing.rows import CellRef, Problem, SheetInfo, SheetRow
from vanguard.exchange.parsers import CellError, clean_name, is_blank, join_list
from vanguard.exchange.reading import (
    UnreadableWorkbook,
    column_letter,
    normalise_header,
    read_workbook,
    split_header,
)

# The header is looked for among the first rows only; below them, data.
HEADER_SEARCH_ROWS = 30
# Rows whose first text looks like this are notes, signatures or totals, not data:
# the footer of a return (填报人：… 单位负责人：… 分管领导签字：… 填报日期：… （盖章）).
FOOTNOTE_RE = re.compile(
    r"^\s*(注\s*[:：\d.、]|备注|说明\s*[:：]|填表|填报人|填报单位|填报日期|报送日期|制表"
    r"|审核人?|审批|联系人|联系电话|数据来源|单位负责人|负责人\s*[:：]|分管领导|主要领导"
    r"|(单位)?(领导)?签\s*[字名章]|[(（]?\s*盖\s*章|(单位)?公章|日\s*期\s*[:：]"
    r"|合\s*计|小\s*计|总\s*计|[*※])"
)
# A section heading that groups the rows below it: "一、先进制造业项目（3个）",
# "（二）基础设施项目", "第三部分". It stands alone in its row, or merged across it.
HEADING_RE = re.compile(
    r"^\s*([一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十]+\s*[)）]"
    r"|第[一二三四五六七八九十]+[部类批项]分?)"
)


def read_sheets(source, columns, begin_sheet):
    """Parse ``source`` for ``columns``; return (rows, problems, notes, sheets).

    ``begin_sheet(info)`` looks at each sheet whose header was found and returns its
    problems (see ``Importer.begin_sheet``).
    """
    problems, notes, rows, sheets = [], [], [], []
    try:
        raw_sheets = read_workbook(source)
    except UnreadableWorkbook as exc:
        problems.append(Problem(exc.message))
        return rows, problems, notes, sheets
    best_miss = None
    for raw in raw_sheets:
        if raw.hidden:
            notes.append(
                _("Sheet “{sheet}” is hidden in the workbook and was not read.").format(
                    sheet=raw.title
                )
            )
            continue
        notes += _hidden_notes(raw)
        found = find_header(raw, columns)
        if found is None:
            continue
        header_row, mapping, ignored, missing = found
        if missing:
            if best_miss is None or len(missing) < len(best_miss[2]):
                best_miss = (raw.title, header_row, missing)
            continue
        info = SheetInfo(
            title=raw.title,
            header_row=header_row,
            columns=mapping,
            preamble=[raw.rows[n] for n in raw.row_numbers() if n < header_row],
            ignored_headers=ignored,
        )
        sheets.append(info)
        problems += begin_sheet(info)
        if ignored:
            notes.append(
                _("Sheet “{sheet}”: columns not recognised and ignored: {headers}.").format(
                    sheet=raw.title, headers=join_list(ignored)
                )
            )
        skipped = {"heading": [], "footer": []}
        rows += data_rows(raw, info, columns, skipped)
        notes += _skipped_notes(raw.title, skipped)
    if not sheets:
        problems.append(_no_header_problem(best_miss, columns))
    return rows, problems, notes, sheets


def find_header(raw, columns):
    """The row among the first ones that names the most columns: (number, mapping, ignored, missing)."""
    index = {}
    for column in columns:
        for name in column.names():
            index.setdefault(name, column)
    best = None
    for number in raw.row_numbers()[:HEADER_SEARCH_ROWS]:
        mapping, ignored = {}, []
        for position, value in sorted(raw.rows[number].items()):
            if not isinstance(value, str):
                continue
            text = normalise_header(value)
            # The bracketed note counts even when the whole header is a known name:
            # "总投资（万元）" names the column and says its unit.
            base, note = split_header(text)
            column = index.get(text) or index.get(base)
            if column is None or any(c.key == column.key for c, _n, _h in mapping.values()):
                ignored.append(str(value).strip())
                continue
            mapping[position] = (column, note, str(value).strip())
        if mapping and (best is None or len(mapping) > len(best[1])):
            best = (number, mapping, ignored)
    if best is None:
        return None
    number, mapping, ignored = best
    found = {c.key for c, _n, _h in mapping.values()}
    missing = [c.header for c in columns if c.required and c.key not in found]
    # A title or note row merged across the sheet repeats one text in every cell.
    ignored = list(dict.fromkeys(ignored))
    return number, mapping, ignored, missing


def _no_header_problem(best_miss, columns):
    if best_miss is None:
        return Problem(
            _("No header row found: it should have columns such as {headers}.").format(
                headers=join_list(c.header for c in columns if c.required)
            )
        )
    title, header_row, missing = best_miss
    return Problem(
        _("The header lacks required columns: {headers}.").format(headers=join_list(missing)),
        sheet=title,
        row=header_row,
    )


def data_rows(raw, info, columns, skipped):
    """The data rows below the header, parsed; headings and footers go to ``skipped``."""
    cells = {
        column.key: CellRef(column_letter(position), header, note)
        for position, (column, note, header) in info.columns.items()
    }
    present = set(cells)
    required = [c for c in columns if c.required]
    for number in raw.row_numbers():
        if number <= info.header_row:
            continue
        values = raw.rows[number]
        mapped = {
            position: values[position]
            for position in info.columns
            if position in values and not info.columns[position][0].informational
        }
        if not mapped:
            continue
        blanks = [is_blank(values_of(values, info, c.key)) for c in required]
        if _is_footnote(values, all(blanks)):
            skipped["footer"].append(number)
            continue
        if _is_heading(values, any(blanks)):
            skipped["heading"].append(number)
            continue
        row = SheetRow(raw.title, number, {}, present, cells)
        for position, (column, note, _header) in info.columns.items():
            if column.informational:
                continue
            value = values.get(position)
            if is_blank(value):
                row.values[column.key] = None
                if column.required:
                    row.problem(column.key, _("Required, but empty."))
                continue
            try:
                row.values[column.key] = column.parser(value, note)
            except CellError as exc:
                row.values[column.key] = None
                row.problems.append(row.problem_at(column.key, exc.message))
        yield row


def values_of(values, info, key):
    """The raw value of column ``key`` in a raw row, or None."""
    for position, (column, _note, _header) in info.columns.items():
        if column.key == key:
            return values.get(position)
    return None


def _is_footnote(values, required_blank):
    """True for a note, signature or total row below (or among) the data."""
    first = values[min(values)]
    if isinstance(first, str) and FOOTNOTE_RE.match(clean_name(first)):
        return True
    # A note merged across the row repeats one text in every cell.
    return required_blank and len(values) > 1 and len({str(v) for v in values.values()}) == 1


def _is_heading(values, some_required_blank):
    """True for a section heading: numbered like "一、", alone in its row or merged across it.

    A heading may carry its group's subtotal in another column: it still lacks some of a
    data row's required cells, or its text is merged across several of them. A numbered
    row with its own cells ("一、地区生产总值" with its unit and figures) is data.
    """
    first = values[min(values)]
    if not isinstance(first, str) or not HEADING_RE.match(clean_name(first)):
        return False
    texts = [v for v in values.values() if isinstance(v, str)]
    merged_across = len(texts) > 1 and len({t.strip() for t in texts}) == 1
    return len(values) == 1 or some_required_blank or merged_across


def _rows_text(numbers):
    """Row numbers for a note: "3、9、15", at most ten of them."""
    shown = join_list(numbers[:10])
    return shown + (_(" and {n} more").format(n=len(numbers) - 10) if len(numbers) > 10 else "")


def _skipped_notes(sheet, skipped):
    notes = []
    if skipped["heading"]:
        notes.append(
            _("Sheet “{sheet}”: section headings skipped (rows {rows}).").format(
                sheet=sheet, rows=_rows_text(skipped["heading"])
            )
        )
    if skipped["footer"]:
        notes.append(
            _("Sheet “{sheet}”: notes, totals and signature lines skipped (rows {rows}).").format(
                sheet=sheet, rows=_rows_text(skipped["footer"])
            )
        )
    return notes


def _hidden_notes(raw):
    notes = []
    if raw.hidden_rows:
        notes.append(
            _("Sheet “{sheet}”: hidden rows were not read (rows {rows}).").format(
                sheet=raw.title, rows=_rows_text(raw.hidden_rows)
            )
        )
    if raw.hidden_columns:
        notes.append(
            _("Sheet “{sheet}”: hidden columns were not read (columns {columns}).").format(
                sheet=raw.title, columns=join_list(raw.hidden_columns)
            )
        )
    return notes
