"""Writing Excel workbooks the way offices expect them, in constant memory.

Every sheet prints as an office would set it up by hand: the header frozen and repeated
on each printed page, A4 with page numbers, landscape and fitted to the page's width
when wide; columns as wide as their content (a Chinese character counts double);
numbers with their format (thousands separators, two decimals for rates, dates as real
dates). Every string is a text cell: a text that starts with "=" stays text, and is
never read by Excel as a formula.
"""

import datetime
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from vanguard.core.text import clean_text, display_width

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER_FILL = "DDEBF7"
INPUT_FILL = "FFF2CC"  # the pale yellow offices use for "fill in here"

# Number formats a column may be given (``Sheet.formats``); without one, a column whose
# header names a percentage or points reads as a rate, one whose note names yuan as an
# amount.
INTEGER = "#,##0"
AMOUNT = "#,##0.00"
RATE = "0.00"
WHOLE_RATE = "0"
# Other numbers: at least two decimals, and up to six where they have them (coordinates).
NUMBER = "#,##0.00####"
# As Excel shows a number of its own accord: 12, 3.5 (counts that may be prorated).
GENERAL = "General"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"

# Column widths are fitted to the header and to the first rows (the rest stream by).
SAMPLE_ROWS = 500
MIN_WIDTH = 6
MAX_WIDTH = 60
# A long header wraps rather than widening a column of short values.
HEADER_WIDTH = 20
# Wider than this (in characters) a sheet prints landscape, fitted to the page's width.
PORTRAIT_WIDTH = 100
A4 = 9  # the paper size code of the sheet format

_FORMULA_STARTS = ("=", "+", "-", "@")
_MONEY_NOTE = re.compile(r"[（(][^)）]*(元|yuan)[^)）]*[)）]")


@dataclass
class Sheet:
    """A sheet with more than a header and rows.

    ``caption``: lines above the header (a title, a note for the person filling in).
    ``widths``: column widths by 0-based column index, where fitting to the content
    would not do (a column filled in later, a column of long text that wraps).
    ``formats``: number formats by column index (``AMOUNT``, ``RATE``, ...), where the
    header and the values' types do not say enough. ``input_columns``: 0-based
    indexes of the columns the reader fills in, shaded yellow. ``wrap_columns``:
    columns whose text wraps (several lines per cell). ``choices``: {column index:
    [allowed texts]} offered as a drop-down. ``freeze_columns``: columns kept in view
    when scrolling right.
    """

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    caption: Sequence[str] = ()
    widths: dict = field(default_factory=dict)
    formats: dict = field(default_factory=dict)
    input_columns: frozenset = frozenset()
    wrap_columns: frozenset = frozenset()
    choices: dict = field(default_factory=dict)
    freeze_columns: int = 0
    # Drop-downs and shading reach this many rows below the header (for added rows).
    input_rows: int = 0


def write_workbook(sheets):
    """Return xlsx bytes for ``sheets``: (title, headers, rows) each, or Sheet; rows may be an iterator."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        if not isinstance(sheet, Sheet):
            title, headers, rows = sheet
            sheet = Sheet(title=title, headers=headers, rows=rows)
        _write_sheet(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(workbook, spec):
    sheet = workbook.create_sheet(title=clean_text(str(spec.title))[:31])
    headers = [clean_text(str(h)) for h in spec.headers]
    header_row = len(spec.caption) + 1
    rows = iter(spec.rows)
    sample = list(itertools.islice(rows, SAMPLE_ROWS))
    kinds = [_column_kind(h) for h in headers]
    widths = _fitted_widths(headers, sample, spec.widths)
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    _print_setup(sheet, header_row, sum(widths.values()))
    sheet.freeze_panes = "{}{}".format(get_column_letter(spec.freeze_columns + 1), header_row + 1)

    for number, line in enumerate(spec.caption):
        cell = _text_cell(sheet, line)
        # The first line is the sheet's title; the rest are notes to the reader.
        cell.font = Font(bold=number == 0, size=14 if number == 0 else 10)
        sheet.append([cell])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    header_cells = []
    for header in headers:
        cell = _text_cell(sheet, header)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    _add_choices(sheet, spec, header_row)

    cells = _Cells(sheet, spec, kinds, widths)
    written = 0
    for row in itertools.chain(sample, rows):
        sheet.append(cells.row(row))
        written += 1
    if spec.input_columns:
        blank = [None] * len(headers)
        for _i in range(max(spec.input_rows - written, 0)):
            sheet.append(cells.row(blank))


def _text_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=clean_text(str(value)))
    cell.data_type = "s"
    return cell


def _column_kind(header):
    """ "rate" for a header naming a percentage or points, "amount" for one whose note in
    brackets names yuan ("总投资（万元）"; not "亿元以上", a size class), else None."""
    if any(word in header for word in ("%", "％", "百分点", "points")):
        return "rate"
    if _MONEY_NOTE.search(header):
        return "amount"
    return None


def _fitted_widths(headers, sample, given):
    widths = {}
    for index, header in enumerate(headers):
        if index in given:
            widths[index] = given[index]
            continue
        wide = min(max(display_width(line) for line in header.split("\n")), HEADER_WIDTH)
        for row in sample:
            if index < len(row) and row[index] is not None and not _is_note(row):
                wide = max(wide, _value_width(row[index]))
        widths[index] = min(max(wide + 2, MIN_WIDTH), MAX_WIDTH)
    return widths


def _is_note(values):
    """A row holding a single text in its first cell: a note under the table."""
    return (
        bool(values) and isinstance(values[0], str) and not any(v is not None for v in values[1:])
    )


def _value_width(value):
    if isinstance(value, str):
        return max(display_width(line) for line in clean_text(value).split("\n"))
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return len("{:,}".format(value))
    if isinstance(value, float | Decimal):
        return len("{:,.2f}".format(value))
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    return display_width(str(value))


def _print_setup(sheet, header_row, total_width):
    """A4 with page numbers, the header on every page; landscape and one page wide when wide."""
    sheet.print_title_rows = "{0}:{0}".format(header_row)
    sheet.page_setup.paperSize = A4
    sheet.oddFooter.center.text = _("Page &P of &N")
    if total_width > PORTRAIT_WIDTH:
        sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0


class _Cells:
    """Turns a row of values into cells: text as text, numbers and dates with their format.

    A sheet's styles repeat by column, so each distinct style is built once and copied.
    """

    def __init__(self, sheet, spec, kinds, widths):
        self.sheet = sheet
        self.spec = spec
        self.kinds = kinds
        self.widths = widths
        self.styles = {}
        self.input_fill = PatternFill("solid", fgColor=INPUT_FILL)

    def row(self, values):
        # A note on a row of its own runs on across the empty cells beside it.
        note = _is_note(values)
        cells = []
        for index, value in enumerate(values):
            if value is None and index not in self.spec.input_columns:
                cells.append(None)
            else:
                cells.append(self.cell(index, value, note))
        return cells

    def cell(self, index, value, note=False):
        """A value as openpyxl writes it bare when it can (faster), else a styled cell."""
        number_format = None
        wrap = index in self.spec.wrap_columns
        quoted = False
        plain = index not in self.spec.input_columns
        if isinstance(value, str):
            value = clean_text(value)
            quoted = value.startswith(_FORMULA_STARTS)
            width = self.widths.get(index, 0) - 1
            too_long = len(value) > width // 2 and _value_width(value) > width
            wrap = wrap or "\n" in value or (too_long and not note)
            if plain and not (wrap or quoted):
                return value  # written as a text cell
            data_type = "s"
        elif isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.make_naive(value)
            return _dated(self.sheet, value, DATETIME, self._style(index, DATETIME, wrap, False))
        elif isinstance(value, datetime.date):
            if plain and not wrap:
                return value  # openpyxl gives a date its yyyy-mm-dd format itself
            return _dated(self.sheet, value, DATE, self._style(index, DATE, wrap, False))
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            number_format = self.spec.formats.get(index) or _number_format(
                value, self.kinds[index] if index < len(self.kinds) else None
            )
            data_type = "n"
        else:
            cell = WriteOnlyCell(self.sheet, value=value)
            cell._style = copy(self._style(index, number_format, wrap, quoted))
            return cell
        # The value is set as it is, not through openpyxl's guess by its first character.
        cell = WriteOnlyCell(self.sheet)
        cell._value = value
        cell.data_type = data_type
        cell._style = copy(self._style(index, number_format, wrap, quoted))
        return cell

    def _style(self, index, number_format, wrap, quoted):
        key = (index, number_format, wrap, quoted)
        style = self.styles.get(key)
        if style is None:
            model = WriteOnlyCell(self.sheet)
            if number_format:
                model.number_format = number_format
            if wrap:
                model.alignment = Alignment(wrap_text=True, vertical="top")
            if quoted:
                model.quotePrefix = True
            if index in self.spec.input_columns:
                model.fill = self.input_fill
            style = self.styles[key] = model._style
        return style


def _dated(sheet, value, number_format, style):
    cell = WriteOnlyCell(sheet, value=value)
    cell._style = copy(style)
    return cell


def _number_format(value, kind):
    # A column of amounts reads alike whether a figure is whole or not.
    if kind == "amount":
        return AMOUNT
    if isinstance(value, int):
        return WHOLE_RATE if kind == "rate" else INTEGER
    return RATE if kind == "rate" else NUMBER


def _add_choices(sheet, spec, header_row):
    last_row = header_row + max(spec.input_rows, 1000)
    for index, options in spec.choices.items():
        # Excel limits a literal list to 255 characters; longer lists are left free.
        formula = '"{}"'.format(",".join(clean_text(str(o)).replace('"', "") for o in options))
        if len(formula) > 255:
            continue
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        letter = get_column_letter(index + 1)
        validation.add("{0}{1}:{0}{2}".format(letter, header_row + 1, last_row))
        sheet.data_validations.append(validation)


def xlsx_response(filename, sheets):
    """An HTTP download of ``sheets`` as ``filename`` (a Chinese name survives too)."""
    return download_response(write_workbook(sheets), filename, XLSX_TYPE, "export.xlsx")


def download_response(content, filename, content_type, ascii_fallback):
    """An HTTP download named ``filename``, with ``ascii_fallback`` for old browsers."""
    response = HttpResponse(content, content_type=content_type)
    ascii_name = filename if filename.isascii() else ascii_fallback
    response["Content-Disposition"] = "attachment; filename=\"{}\"; filename*=UTF-8''{}".format(
        ascii_name.replace('"', ""), quote(filename)
    )
    return response
