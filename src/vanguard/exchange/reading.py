"""Reading office workbooks in one streaming pass, merged cells filled in.

Offices' sheets carry title rows above the header, merged cells (a unit's name
merged down over its projects, a title merged across), blank rows and footnotes.
openpyxl's read-only mode streams rows but leaves merged areas empty apart from their
top-left cell; the merge list sits after the rows in the sheet's XML, so the rows are
kept (sparse, values only) until it has been read, then each merged area is filled.

What a person does not see is not read: hidden sheets, rows and columns are left out
and named, so the preview can say so. A number shown with a percent format is read as
the person sees it (0.078 in a "0.0%" cell is 7.8%). A file is checked before it is
unpacked: an .xlsx is a zip, and one that unpacks to far more than any real sheet (a
"zip bomb") would tie up the web process; so would one with millions of rows.
A .csv file is read too, in UTF-8 or in the GBK that Chinese Excel writes.
"""

import codecs
import csv
import io
import re
import time
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser

from vanguard.exchange.parsers import Percent, is_blank

# Limits of one upload. Real office workbooks unpack to a few MB per 10,000 rows and
# pack 5 to 20 times over; a zip bomb packs thousands of times over.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PACK_RATIO = 200
# The ratio is only judged on members big enough for it to matter.
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_ROWS = 200_000
MAX_SECONDS = 60
ACCEPTED = ".xlsx、.xlsm、.csv"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_HIDDEN = {"1", "true"}


class UnreadableWorkbook(Exception):
    """The upload cannot be read; ``message`` says why and what to upload instead."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class RawSheet:
    """One worksheet's non-blank rows: {row number: {column number: value}}, 1-based.

    ``hidden``: the sheet is hidden and was not read. ``hidden_rows`` and
    ``hidden_columns``: numbers of hidden rows and letters of hidden columns that held
    something, left out of ``rows``.
    """

    title: str
    rows: dict[int, dict[int, object]] = field(default_factory=dict)
    hidden: bool = False
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[str] = field(default_factory=list)

    def row_numbers(self):
        return sorted(self.rows)


def unreadable_message():
    return _(
        "Cannot read the file: upload an Excel workbook saved as .xlsx (Excel 2007 or"
        " later, or WPS), or a .csv file."
    )


def read_workbook(source):
    """Every worksheet of ``source`` (a path or a binary file), merged areas filled.

    Raises UnreadableWorkbook, with the reason in words, for a file that is not an
    .xlsx or .csv, or that is too big to read.
    """
    if isinstance(source, str) or hasattr(source, "__fspath__"):
        with open(source, "rb") as stream:
            return read_workbook(io.BytesIO(stream.read()))
    start = source.tell() if hasattr(source, "tell") else 0
    head = source.read(8)
    source.seek(start)
    if head.startswith(_OLE_MAGIC):
        raise UnreadableWorkbook(
            _(
                "This is an Excel 97-2003 (.xls) workbook, or an encrypted one, which cannot"
                " be read: open it in Excel or WPS, save it as .xlsx (without a password),"
                " and upload that. Accepted: {formats}."
            ).format(formats=ACCEPTED)
        )
    if not head.startswith(_ZIP_MAGIC):
        return [_read_csv(source)]
    _check_archive(source)
    source.seek(start)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UnreadableWorkbook(unreadable_message()) from exc
    budget = _Budget()
    try:
        sheets = []
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                sheets.append(RawSheet(title=sheet.title, hidden=True))
                continue
            sheets.append(_read_sheet(workbook, sheet, budget))
        return sheets
    finally:
        workbook.close()


class _Budget:
    """Rows and seconds left for one workbook."""

    def __init__(self):
        self.rows = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def spend(self):
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise UnreadableWorkbook(
                _(
                    "The workbook has more than {limit} rows, more than one upload may hold:"
                    " split it into several files."
                ).format(limit=MAX_ROWS)
            )
        if self.rows % 1000 == 0 and time.monotonic() > self.deadline:
            raise UnreadableWorkbook(
                _(
                    "Reading the workbook took more than {limit} seconds: split it into"
                    " smaller files, or remove what the import does not need."
                ).format(limit=MAX_SECONDS)
            )


def _check_archive(source):
    """Refuse a zip that unpacks to far more than a workbook, before unpacking it."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableWorkbook(unreadable_message()) from exc
    if b"opendocument" in mimetype:
        raise UnreadableWorkbook(
            _(
                "This is an OpenDocument (.ods) spreadsheet, which cannot be read: save it as"
                " .xlsx in LibreOffice, WPS or Excel, and upload that. Accepted: {formats}."
            ).format(formats=ACCEPTED)
        )
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        raise UnreadableWorkbook(unreadable_message())
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableWorkbook(
            _(
                "The workbook unpacks to {size} MB, more than the {limit} MB an upload may"
                " take: it was not read. Split it into smaller files."
            ).format(size=unpacked // (1024 * 1024), limit=MAX_UNPACKED_BYTES // (1024 * 1024))
        )
    for member in members:
        if member.file_size < RATIO_FLOOR_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_PACK_RATIO:
            raise UnreadableWorkbook(
                _(
                    "The workbook is packed {ratio} times over, far more than a real sheet"
                    " (a few dozen at most): it was not read. Save it again in Excel or WPS"
                    " and upload that."
                ).format(ratio=int(ratio))
            )


def _read_csv(source):
    """A .csv file as one sheet: UTF-8 (with or without BOM), else GBK/GB18030."""
    data = source.read(MAX_UNPACKED_BYTES + 1)
    if len(data) > MAX_UNPACKED_BYTES or b"\x00" in data[:4096]:
        raise UnreadableWorkbook(unreadable_message())
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content = codecs.decode(data, encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableWorkbook(unreadable_message())
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    raw = RawSheet(title="CSV")
    budget = _Budget()
    for number, values in enumerate(csv.reader(io.StringIO(content), dialect), start=1):
        budget.spend()
        _keep(raw, number, enumerate((v.strip() for v in values), start=1))
    return raw


def _read_sheet(workbook, sheet, budget):
    raw = RawSheet(title=sheet.title)
    get_source = getattr(sheet, "_get_source", None)
    if get_source is None:  # a fully loaded sheet (not read-only): merges are known
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            budget.spend()
            _keep(raw, number, enumerate(values, start=1))
        merges = [str(r) for r in sheet.merged_cells.ranges]
    else:
        percent_styles = _percent_styles(workbook)
        with get_source() as stream:
            parser = WorkSheetParser(
                stream,
                sheet._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            hidden_columns = None
            for number, cells in parser.parse():
                budget.spend()
                if hidden_columns is None:  # <cols> comes before the rows
                    hidden_columns = _hidden_columns(parser.column_dimensions)
                values = {}
                for cell in cells:
                    value = cell["value"]
                    if value is None or (type(value) is str and not value.strip()):
                        continue
                    if cell["style_id"] in percent_styles and type(value) in (int, float):
                        value = Percent(value)
                    values[cell["column"]] = value
                if not values:
                    continue
                attrs = parser.row_dimensions.get(str(number))
                if attrs and str(attrs.get("hidden", "")).lower() in _HIDDEN:
                    raw.hidden_rows.append(number)
                    continue
                if hidden_columns:
                    for column in values.keys() & hidden_columns:
                        letter = get_column_letter(column)
                        if letter not in raw.hidden_columns:
                            raw.hidden_columns.append(letter)
                        del values[column]
                    if not values:
                        continue
                raw.rows[number] = values
            merged = parser.merged_cells
            merges = [m.ref for m in merged.mergeCell] if merged is not None else []
    _fill_merges(raw, merges)
    raw.hidden_columns.sort(key=lambda letter: (len(letter), letter))
    return raw


def _hidden_columns(dimensions):
    """Numbers of the columns a sheet hides (a <col> covers min..max)."""
    hidden = set()
    for attrs in dimensions.values():
        if str(attrs.get("hidden", "")).lower() in _HIDDEN:
            low, high = int(attrs.get("min", 0)), int(attrs.get("max", attrs.get("min", 0)))
            # A hidden run to the sheet's end (16384) is read as the columns in use.
            hidden.update(range(low, min(high, 1024) + 1))
    return hidden


def _percent_styles(workbook):
    """Ids of the cell styles whose number format shows a percentage ("0.0%")."""
    custom = getattr(workbook, "_number_formats", [])
    found = set()
    for style_id, style in enumerate(getattr(workbook, "_cell_styles", [])):
        number = getattr(style, "numFmtId", 0)
        if number < BUILTIN_FORMATS_MAX_SIZE:
            code = BUILTIN_FORMATS.get(number, "General")
        else:
            index = number - BUILTIN_FORMATS_MAX_SIZE
            code = custom[index] if index < len(custom) else "General"
        # A percent sign inside quotes is literal text, not the percent format.
        if "%" in re.sub(r'"[^"]*"', "", code):
            found.add(style_id)
    return found


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
