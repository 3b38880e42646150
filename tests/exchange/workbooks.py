"""Build test workbooks in memory, the way offices lay them out (no binary fixtures)."""

import io

from openpyxl import Workbook, load_workbook


def make_workbook(rows, *, title="Sheet1", merges=(), extra_sheets=()):
    """An .xlsx file object: ``rows`` from A1 down (None leaves a cell empty; [] a blank row).

    ``merges`` are ranges like "A1:H1"; ``extra_sheets`` are (title, rows) pairs.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    _fill(sheet, rows)
    for ref in merges:
        sheet.merge_cells(ref)
    for extra_title, extra_rows in extra_sheets:
        _fill(workbook.create_sheet(extra_title), extra_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _fill(sheet, rows):
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)


def read_rows(data, sheet=0):
    """Every row of a workbook's sheet as a list of values (data: bytes or file)."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    workbook = load_workbook(source)
    worksheet = workbook.worksheets[sheet]
    return [list(row) for row in worksheet.iter_rows(values_only=True)]


def as_file(rows_of_sheet):
    """Write rows (as read_rows returns them) back to an .xlsx file object."""
    return make_workbook(rows_of_sheet)
