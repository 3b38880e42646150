"""The rows and cells of an import: columns, problems and where they are, plans, results.

A sheet is described by ``Column`` specs; reading makes one ``SheetRow`` of parsed values
per data row; planning makes one ``RowPlan`` per row (``RowAction``, with its
``FieldChange``s); a dry run or an apply answers an ``ImportResult``. Every problem is a
``Problem`` that knows its sheet, row, column letter and header.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from vanguard.exchange.parsers import parse_text
from vanguard.exchange.reading import normalise_header


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the header exports write, the aliases imports accept.

    ``key`` names the parsed value in ``SheetRow.values``. ``parser`` turns a cell into
    it (see exchange.parsers); a header's bracketed note, as in "总投资（万元）", reaches
    the parser. ``required``: the header must be there and no cell may be blank.
    ``is_key``: the value names the row's object (e.g. the project code) and must be
    unique in the file. ``informational``: exported for the reader, ignored on import.
    """

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    parser: Callable = parse_text
    is_key: bool = False
    informational: bool = False

    def names(self):
        return {normalise_header(n) for n in (self.header, *self.aliases) if n}


@dataclass(frozen=True)
class Problem:
    """What is wrong and where: sheet, Excel row number, column letter and header."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    header: str = ""

    @property
    def where(self):
        """Excel's own notation: 项目!C5 (主责单位), or 项目!3:3 for a whole row."""
        place = self.sheet
        if self.column:
            place += "!{}{}".format(self.column, self.row if self.row is not None else "")
        elif self.row is not None:
            place += "!{0}:{0}".format(self.row)  # Excel's name for a whole row
        if self.header:
            place += " ({})".format(self.header)
        return place

    @property
    def place(self):
        """Where, in words: 工作表“项目”第5行C列（主责单位）; Excel's notation is ``where``."""
        parts = []
        if self.sheet:
            parts.append(_("sheet “{sheet}”").format(sheet=self.sheet))
        if self.row is not None:
            parts.append(_("row {row}").format(row=self.row))
        if self.column:
            parts.append(_("column {column}").format(column=self.column))
        place = _(", ").join(parts) if parts else ""
        if self.header:
            place += _(" ({header})").format(header=self.header)
        return place

    def __str__(self):
        return "{}: {}".format(self.where, self.message) if self.where else self.message


class RowAction(enum.StrEnum):
    """What an import does with one row."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    SKIP = "skip"
    ERROR = "error"


@dataclass
class FieldChange:
    """One field of a row's object: its value before and after, as text for people."""

    field: str
    label: str
    before: str
    after: str


@dataclass
class CellRef:
    """Where a column sits in a sheet."""

    letter: str
    header: str
    note: str


@dataclass
class SheetRow:
    """One data row: parsed values by column key, and where each column sits."""

    sheet: str
    number: int
    values: dict
    present: set
    cells: dict
    problems: list = field(default_factory=list)

    def get(self, key, default=None):
        value = self.values.get(key)
        return default if value is None else value

    def has(self, key):
        """True when the sheet has the column (its cell may still be blank)."""
        return key in self.present

    def problem(self, key, message):
        """Record a problem at this row, in column ``key`` (or the whole row)."""
        self.problems.append(self.problem_at(key, message))

    def problem_at(self, key, message):
        cell = self.cells.get(key)
        return Problem(
            message,
            sheet=self.sheet,
            row=self.number,
            column=cell.letter if cell else "",
            header=cell.header if cell else "",
        )


@dataclass
class RowPlan:
    """What the import does with one row, and why not when it cannot."""

    sheet: str
    row: int
    key: str
    action: RowAction
    changes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    source: SheetRow | None = None
    data: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.problems


@dataclass
class SheetInfo:
    """A sheet the import read: where its header was, which columns it found."""

    title: str
    header_row: int
    columns: dict
    preamble: list
    ignored_headers: list


@dataclass
class ImportResult:
    """The outcome of a dry run or an apply: every row's plan and every problem."""

    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    sheets: list = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self):
        return not self.problems

    @property
    def counts(self):
        counts = dict.fromkeys(RowAction, 0)
        for plan in self.rows:
            counts[plan.action] += 1
        return {str(k): v for k, v in counts.items()}

    def problems_at(self, row):
        return [p for p in self.problems if p.row == row]
