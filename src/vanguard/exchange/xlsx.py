"""Writing Excel workbooks the way offices expect them, in constant memory."""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER_FILL = "DDEBF7"
INPUT_FILL = "FFF2CC"  # the pale yellow offices use for "fill in here"


@dataclass
class Sheet:
    """A sheet with more than a header and rows.

    ``caption``: lines above the header (a title, a note for the person filling in).
    ``widths``: column widths by 0-based column index. ``input_columns``: 0-based
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
    sheet = workbook.create_sheet(title=str(spec.title)[:31])
    header_row = len(spec.caption) + 1
    sheet.freeze_panes = "{}{}".format(get_column_letter(spec.freeze_columns + 1), header_row + 1)
    for index, width in spec.widths.items():
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    for number, line in enumerate(spec.caption):
        cell = WriteOnlyCell(sheet, value=str(line))
        # The first line is the sheet's title; the rest are notes to the reader.
        cell.font = Font(bold=number == 0, size=14 if number == 0 else 10)
        sheet.append([cell])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    header_cells = []
    for header in spec.headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    _add_choices(sheet, spec, header_row)
    styled = spec.input_columns | spec.wrap_columns
    if not styled:
        for row in spec.rows:
            sheet.append(list(row))
        return
    input_fill = PatternFill("solid", fgColor=INPUT_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    written = 0
    for row in spec.rows:
        sheet.append(_styled_row(sheet, list(row), spec, input_fill, wrap))
        written += 1
    blank = [None] * len(spec.headers)
    for _ in range(max(spec.input_rows - written, 0)):
        sheet.append(_styled_row(sheet, list(blank), spec, input_fill, wrap))


def _styled_row(sheet, values, spec, input_fill, wrap):
    cells = []
    for index, value in enumerate(values):
        if index not in spec.input_columns and index not in spec.wrap_columns:
            cells.append(value)
            continue
        cell = WriteOnlyCell(sheet, value=value)
        if index in spec.input_columns:
            cell.fill = input_fill
        if index in spec.wrap_columns:
            cell.alignment = wrap
        cells.append(cell)
    return cells


def _add_choices(sheet, spec, header_row):
    last_row = header_row + max(spec.input_rows, 1000)
    for index, options in spec.choices.items():
        # Excel limits a literal list to 255 characters; longer lists are left free.
        formula = '"{}"'.format(",".join(str(o).replace('"', "") for o in options))
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
