"""Build test workbooks in memory, the way offices lay them out (no binary fixtures)."""

import io
import zipfile

from openpyxl import Workbook, load_workbook


def make_workbook(
    rows,
    *,
    title="Sheet1",
    merges=(),
    extra_sheets=(),
    formats=None,
    hidden_rows=(),
    hidden_columns=(),
    hidden_sheets=(),
):
    """An .xlsx file object: ``rows`` from A1 down (None leaves a cell empty; [] a blank row).

    ``merges`` are ranges like "A1:H1"; ``extra_sheets`` are (title, rows) pairs;
    ``formats`` gives cells a number format ({"D3": "0.0%"}) as Excel does when a
    person types "7.8%"; ``hidden_rows`` (numbers) and ``hidden_columns`` (letters) are
    hidden in the first sheet; ``hidden_sheets`` are (title, rows) pairs of sheets hidden
    from view.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    _fill(sheet, rows)
    for ref in merges:
        sheet.merge_cells(ref)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    for number in hidden_rows:
        sheet.row_dimensions[number].hidden = True
    for letter in hidden_columns:
        sheet.column_dimensions[letter].hidden = True
    for extra_title, extra_rows in extra_sheets:
        _fill(workbook.create_sheet(extra_title), extra_rows)
    for hidden_title, hidden_rows_of_sheet in hidden_sheets:
        hidden = workbook.create_sheet(hidden_title)
        _fill(hidden, hidden_rows_of_sheet)
        hidden.sheet_state = "hidden"
    return save(workbook)


def save(workbook, name=None):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    if name:
        buffer.name = name
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


def zip_bomb(headers, *, rows=400_000):
    """A real .xlsx whose first sheet repeats one row ``rows`` times: tiny packed, huge unpacked.

    Reading it through would hold a web process for many seconds; the packed file is a
    few kilobytes, so nothing in the upload's size gives it away.
    """
    plain = make_workbook([headers])
    out = io.BytesIO()
    row = '<row><c t="inlineStr"><is><t>XHA-9999</t></is></c><c><v>1</v></c></row>'
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(member, data)
                continue
            head, _sep, tail = data.decode().partition("</sheetData>")
            with zf.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(head.encode())
                chunk = (row * 1000).encode()
                for _i in range(rows // 1000):
                    sheet.write(chunk)
                sheet.write(("</sheetData>" + tail).encode())
    out.seek(0)
    return out


def csv_file(rows, *, encoding="gbk", name="projects.csv"):
    """A .csv file as Chinese Excel saves one (GBK unless ``encoding`` says)."""
    text = "\r\n".join(",".join("" if v is None else str(v) for v in row) for row in rows)
    buffer = io.BytesIO(text.encode(encoding))
    buffer.name = name
    return buffer


def without_title_rows(content, count):
    """A downloaded workbook (bytes) with its first ``count`` rows deleted, sheet names kept.

    What an office does to "tidy" a workbook before sending it on: the title rows go,
    the sheet keeps the name it was downloaded with.
    """
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for merged in list(sheet.merged_cells.ranges):
            if merged.min_row <= count:
                sheet.unmerge_cells(str(merged))
        sheet.delete_rows(1, count)
    return save(workbook)
