"""How many rows an upload holds, to decide whether it is checked in the request or in a job.

The pages' side (a big sheet checked in a job, its preview, its apply) is tested with
each import: tests/projects/test_import_jobs.py and tests/indicators/test_check_jobs.py.
"""

import io
import re
import zipfile

from tests.exchange.workbooks import make_workbook
from vanguard.exchange.jobs import rows_in


def without_dimensions(file):
    """The same workbook as some programs write it: no stated size of its sheets."""
    source, out = zipfile.ZipFile(file), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            target.writestr(item, data)
    out.seek(0)
    return out


def sheet(rows):
    return [["项目编号", "项目名称"]] + [["XHA-{:04d}".format(n), "项目"] for n in range(rows)]


def test_it_counts_the_rows_of_every_sheet():
    file = make_workbook(sheet(30), extra_sheets=[("第二批", sheet(9))])
    assert rows_in(file) == 31 + 10


def test_it_counts_a_sheet_that_states_no_size():
    assert rows_in(without_dimensions(make_workbook(sheet(30)))) == 31


def test_it_counts_the_lines_of_a_csv_file():
    assert rows_in(io.BytesIO("项目编号,项目名称\nXHA-0001,项目\nXHA-0002,项目".encode())) == 3


def test_a_file_it_cannot_read_counts_as_small_so_the_request_says_what_is_wrong():
    assert rows_in(io.BytesIO(b"PK\x03\x04 not really a workbook")) == 0
    assert rows_in(io.BytesIO(b"")) == 0
