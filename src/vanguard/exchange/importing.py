"""The import framework: columns, a dry run that plans every row, and one-transaction apply.

An app describes its sheet as ``Column`` specs and subclasses ``Importer`` with
``prepare`` (load what the rows refer to, in a constant number of queries),
``plan_row`` (what would change: create, update with before→after, unchanged) and
``apply_row`` (call the app's actions). The framework reads the workbook, finds the
header row under any title rows, parses each cell, and collects every problem with
its sheet, row number, column letter and header. ``apply`` plans without holding any
lock, then writes in one short transaction and only when the plan found nothing wrong;
if an action refuses a row, everything rolls back and the refusal is reported at that
row (docs/decisions/0015-background-imports.md).
"""

import enum
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanguard.exchange.parsers import CellError, clean_name, is_blank, join_list, parse_text
from vanguard.exchange.reading import (
    UnreadableWorkbook,
    column_letter,
    normalise_header,
    read_workbook,
    split_header,
)

logger = logging.getLogger(__name__)

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


class Phase(enum.StrEnum):
    """How far an apply has got, for a progress bar."""

    READING = "reading"
    CHECKING = "checking"
    WRITING = "writing"


# Planning reports its progress every this many rows.
PROGRESS_EVERY = 500
# A preview lists at most this many rows (problems first) and sheet problems; its
# counts cover them all.
PREVIEW_LIMIT = 500


def _no_progress(phase, done, total):
    pass


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


class Importer:
    """Base of every sheet import; subclasses describe columns and call their actions."""

    columns: tuple = ()
    # True when the importer's actions check again, inside the writing transaction,
    # everything its plan relied on (versions, codes still free): then the plan is made
    # without holding the write lock, and a change made in between is refused at its
    # row. False plans inside the transaction, for importers whose checks span rows.
    plans_before_locking = False

    def __init__(self, *, actor):
        self.actor = actor

    # --- what subclasses provide ------------------------------------------------

    def get_columns(self):
        return list(self.columns)

    def check(self):
        """Problems that stop the whole import before any row is read (e.g. access)."""
        return []

    def begin_sheet(self, info):
        """Look at a sheet's title rows and columns; return problems."""
        return []

    def prepare(self, rows):
        """Load what the rows refer to, in bulk, before rows are planned."""

    def plan_row(self, row):
        """Return the RowPlan of one row; record problems on ``row`` or the plan."""
        raise NotImplementedError

    def apply_row(self, plan):
        """Write one planned row through the app's actions."""
        raise NotImplementedError

    def field_column(self, field_name):
        """The column key that holds a model field, to place an action's error."""
        return field_name

    # --- reading ------------------------------------------------------------------

    def read(self, source):
        """Parse ``source``; return (rows, problems, notes, sheets)."""
        columns = self.get_columns()
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
            found = self._find_header(raw, columns)
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
            problems += self.begin_sheet(info)
            if ignored:
                notes.append(
                    _("Sheet “{sheet}”: columns not recognised and ignored: {headers}.").format(
                        sheet=raw.title, headers=join_list(ignored)
                    )
                )
            skipped = {"heading": [], "footer": []}
            rows += self._data_rows(raw, info, columns, skipped)
            notes += _skipped_notes(raw.title, skipped)
        if not sheets:
            problems.append(self._no_header_problem(best_miss, columns))
        return rows, problems, notes, sheets

    def _find_header(self, raw, columns):
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

    def _no_header_problem(self, best_miss, columns):
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

    def _data_rows(self, raw, info, columns, skipped):
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

    # --- the two entry points -----------------------------------------------------

    def dry_run(self, source, *, progress=None):
        """Plan every row and collect every problem; write nothing.

        ``progress``, when given, is called as ``progress(phase, done, total)`` while
        the rows are checked, as in ``apply``.
        """
        result = ImportResult(problems=list(self.check()))
        if result.problems:
            return result
        if progress is None:
            return self._plan(result, self.read(source))
        progress(Phase.READING, 0, 0)
        parsed = self.read(source)
        progress(Phase.CHECKING, 0, len(parsed[0]))
        return self._plan(result, parsed, progress)

    def _plan(self, result, parsed, progress=None):
        rows, problems, notes, sheets = parsed
        result.problems += problems
        result.notes += notes
        result.sheets = sheets
        self._check_keys(rows)
        self.prepare(rows)
        for number, row in enumerate(rows, start=1):
            plan = self.plan_row(row)
            plan.source = row
            plan.problems = sorted(row.problems + plan.problems, key=_column_order)
            if plan.problems:
                plan.action = RowAction.ERROR
            result.rows.append(plan)
            result.problems += plan.problems
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(Phase.CHECKING, number, len(rows))
        return result

    def apply(self, source, *, progress=None):
        """Check every row, then write them all in one transaction; nothing if any row fails.

        Reading holds no lock: on SQLite a transaction holds the database's write lock.
        An importer with ``plans_before_locking`` plans outside the transaction too, so
        that only its (bulk, see ``write``) writing holds the lock. ``progress``, when
        given, is called as ``progress(phase, done, total)`` outside the transaction (see
        ``Phase``); without ``plans_before_locking``, planning reports no progress.
        """
        report = progress or _no_progress
        result = ImportResult(problems=list(self.check()))
        if result.problems:
            return result
        report(Phase.READING, 0, 0)
        parsed = self.read(source)
        report(Phase.CHECKING, 0, len(parsed[0]))
        if self.plans_before_locking:
            self._plan(result, parsed, report)
            if not result.ok:
                return result
            report(Phase.WRITING, 0, len(result.rows))
        with transaction.atomic():
            if not self.plans_before_locking:
                self._plan(result, parsed)
                if not result.ok:
                    return result
            plans = [p for p in result.rows if p.action in (RowAction.CREATE, RowAction.UPDATE)]
            self.write(plans, result)
            if result.problems:
                transaction.set_rollback(True)
                return result
            result.applied = True
        return result

    def write(self, plans, result):
        """Write the planned rows inside ``apply``'s transaction; refusals go to ``refuse``.

        By default one row at a time through ``apply_row``; importers of big sheets
        write in bulk instead.
        """
        for plan in plans:
            try:
                # A savepoint per row keeps the transaction usable after a refused
                # row, so every refusal can be reported before all is rolled back.
                with transaction.atomic():
                    self.apply_row(plan)
            except Exception as exc:  # noqa: BLE001 - reported at its row, then rolled back
                self.refuse(plan, result, exc)

    def refuse(self, plan, result, exc):
        """Report an action's refusal of ``plan`` at its row (the import then rolls back)."""
        found = self.problems_from_exception(plan, exc)
        plan.problems += found
        plan.action = RowAction.ERROR
        result.problems += found

    # --- helpers ------------------------------------------------------------------

    def _check_keys(self, rows):
        keys = [c.key for c in self.get_columns() if c.is_key]
        for key in keys:
            seen = {}
            for row in rows:
                value = row.values.get(key)
                if value is None:
                    continue
                if value in seen:
                    first = seen[value]
                    row.problem(
                        key,
                        _("“{value}” repeats row {first} of sheet “{sheet}”.").format(
                            value=value, first=first.number, sheet=first.sheet
                        ),
                    )
                else:
                    seen[value] = row

    def problems_from_exception(self, plan, exc):
        """Turn an action's refusal into problems at the row's columns."""
        row = plan.source
        key_column = next((c.key for c in self.get_columns() if c.is_key), "")
        if isinstance(exc, ValidationError):
            found = []
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    column = self.field_column(name)
                    for message in errors:
                        found.append(row.problem_at(column, _refused(message)))
            else:
                for message in exc.messages:
                    found.append(row.problem_at(key_column, _refused(message)))
            return found
        if isinstance(exc, PermissionDenied):
            return [row.problem_at(key_column, _refused(str(exc) or _("Permission denied.")))]
        logger.exception("import of %s row %s failed", plan.sheet, plan.row)
        return [
            row.problem_at(
                key_column,
                _refused("{}: {}".format(type(exc).__name__, exc)),
            )
        ]


def _column_order(problem):
    """Problems of a row from left to right (B before AA), whole-row problems first."""
    return (len(problem.column), problem.column)


def _refused(message):
    return _("Not saved: {reason}").format(reason=message)


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


# --- the preview, kept as data ---------------------------------------------------------


def action_labels():
    """What each row action is called on the preview."""
    return {
        RowAction.CREATE: _("New"),
        RowAction.UPDATE: _("Change"),
        RowAction.UNCHANGED: _("Unchanged"),
        RowAction.SKIP: _("Skipped"),
        RowAction.ERROR: _("Error"),
    }


def summarise(result, *, limit=PREVIEW_LIMIT):
    """What a preview shows of a dry run, as JSON-ready data of bounded size.

    Every count, and the listed rows only: rows with errors first, then new and changed
    rows, then skipped ones (unchanged rows only when they carry a note), at most
    ``limit`` of them; problems outside any row likewise. Texts are made here, in the
    current language; a problem keeps its place as sheet, row and column, so it reads
    in the viewer's language (see ``Problem.place``).
    """
    order = {RowAction.ERROR: 0, RowAction.CREATE: 1, RowAction.UPDATE: 1, RowAction.SKIP: 2}
    listed = [p for p in result.rows if p.action != RowAction.UNCHANGED or p.notes]
    listed.sort(key=lambda p: order.get(p.action, 3))
    shown = listed[:limit]
    in_rows = {p for plan in result.rows for p in plan.problems}
    sheet_problems = [p for p in result.problems if p not in in_rows]
    return {
        "counts": result.counts,
        "ok": result.ok,
        "problem_count": len(result.problems),
        "sheet_problems": [asdict(p) for p in sheet_problems[:limit]],
        "notes": [str(n) for n in result.notes],
        "rows": [
            {
                "sheet": plan.sheet,
                "row": plan.row,
                "key": str(plan.key),
                "action": str(plan.action),
                "changes": [
                    {"label": str(c.label), "before": str(c.before), "after": str(c.after)}
                    for c in plan.changes
                ],
                "problems": [asdict(p) for p in plan.problems],
                "notes": [str(n) for n in plan.notes],
            }
            for plan in shown
        ],
        "not_shown": len(result.rows) - len(shown),
    }


def _problem(data):
    names = {f.name for f in fields(Problem)}
    return Problem(**{k: v for k, v in data.items() if k in names})


def preview_context(summary):
    """The preview template's context from ``summarise``'s data (see exchange/preview.html)."""
    labels = action_labels()
    counts = summary["counts"]
    rows = []
    for row in summary["rows"]:
        plan = SimpleNamespace(
            sheet=row["sheet"],
            row=row["row"],
            key=row["key"],
            action=row["action"],
            changes=[SimpleNamespace(**c) for c in row["changes"]],
            problems=[_problem(p) for p in row["problems"]],
            notes=row["notes"],
        )
        rows.append({"plan": plan, "label": labels.get(row["action"], row["action"])})
    return {
        "counts": counts,
        "ok": summary["ok"],
        "problem_count": summary["problem_count"],
        "notes": summary["notes"],
        "to_apply": counts[RowAction.CREATE] + counts[RowAction.UPDATE],
        "rows": rows,
        "not_shown": summary["not_shown"],
        "sheet_problems": [_problem(p) for p in summary["sheet_problems"]],
    }
