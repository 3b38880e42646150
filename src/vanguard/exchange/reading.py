"""Reading office workbooks in one streaming pass, merged cells filled in.

Offices' sheets carry title rows above the header, merged cells (a unit's name
merged down over its projects, a title merged across), blank rows and footnotes.
openpyxl's read-only mode streams rows but leaves merged areas empty apart from their
top-left cell; the merge list sits after the rows in the sheet's XML, so the rows are
kept (sparse, values only) until it has been read, then each merged area is filled.
"""

import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser

from vanguard.exchange.parsers import is_blank


class UnreadableWorkbook(Exception):
    """The upload is not an .xlsx workbook openpyxl can open."""


@dataclass
class RawSheet:
    """One worksheet's non-blank rows: {row number: {column number: value}}, 1-based."""

    title: str
    rows: dict[int, dict[int, object]] = field(default_factory=dict)

    def row_numbers(self):
        return sorted(self.rows)


def read_workbook(source):
    """Every worksheet of ``source`` (a path or a binary file), merged areas filled."""
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UnreadableWorkbook(str(exc)) from exc
    try:
        return [_read_sheet(workbook, sheet) for sheet in workbook.worksheets]
    finally:
        workbook.close()


def _read_sheet(workbook, sheet):
    raw = RawSheet(title=sheet.title)
    get_source = getattr(sheet, "_get_source", None)
    if get_source is None:  # a fully loaded sheet (not read-only): merges are known
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            _keep(raw, number, enumerate(values, start=1))
        merges = [str(r) for r in sheet.merged_cells.ranges]
    else:
        with get_source() as stream:
            parser = WorkSheetParser(
                stream,
                sheet._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            for number, cells in parser.parse():
                _keep(raw, number, ((c["column"], c["value"]) for c in cells))
            merged = parser.merged_cells
            merges = [m.ref for m in merged.mergeCell] if merged is not None else []
    _fill_merges(raw, merges)
    return raw


def _keep(raw, number, cells):
    values = {column: value for column, value in cells if not is_blank(value)}
    if values:
        raw.rows[number] = values


def _fill_merges(raw, refs):
    if not raw.rows:
        return
    last_row = max(raw.rows)
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        value = raw.rows.get(min_row, {}).get(min_col)
        if value is None:
            continue
        # A merge may run to the sheet's end (a whole column); only rows that can hold
        # data matter.
        for number in range(min_row, min(max_row, last_row) + 1):
            row = raw.rows.setdefault(number, {})
            for column in range(min_col, max_col + 1):
                row.setdefault(column, value)


# --- headers ------------------------------------------------------------------------

_HEADER_TRANSLATION = str.maketrans(
    {"（": "(", "）": ")", "【": "[", "】": "]", "：": ":", "　": " ", "＊": "*"}
)
_NOTE_RE = re.compile(r"^(?P<base>.+?)\s*[(\[](?P<note>[^()\[\]]*)[)\]]$")
_UNIT_SUFFIX_RE = re.compile(r"^(?P<base>.+?)[/:]?(?:单位:?)?(?P<note>亿元|万元)$")


def normalise_header(text):
    """A header reduced for matching: half-width brackets, no spaces or * marks, lower case."""
    text = str(text).translate(_HEADER_TRANSLATION)
    return re.sub(r"[\s*]+", "", text).lower()


def split_header(text):
    """(name, note) of a normalised header: "总投资(万元)" -> ("总投资", "万元")."""
    for pattern in (_NOTE_RE, _UNIT_SUFFIX_RE):
        match = pattern.match(text)
        if match:
            return match["base"], match["note"]
    return text, ""


def header_name(text):
    """A header without its bracketed note, for labels: "总投资（万元）" -> "总投资"."""
    return split_header(normalise_header(text))[0]


def column_letter(number):
    """The column's letter as Excel shows it (1 -> A)."""
    return get_column_letter(number)
