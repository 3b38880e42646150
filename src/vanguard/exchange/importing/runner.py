"""The dry run and the apply: every row planned, then written in one short transaction.

An app subclasses ``Importer`` with ``prepare`` (load what the rows refer to, in a
constant number of queries), ``plan_row`` (what would change: create, update with
before→after, unchanged) and ``apply_row`` (call the app's actions). ``apply`` plans
without holding any lock, then writes in one short transaction and only when the plan
found nothing wrong; if an action refuses a row, everything rolls back and the refusal
is reported at that row (docs/decisions/0015-background-imports.md).
"""

import enum
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanguard.exchange.importing.layout import read_sheets
from vanguard.exchange.importing.rows import ImportResult, RowAction

logger = logging.getLogger(__name__)


class Phase(enum.StrEnum):
    """How far an apply has got, for a progress bar."""

    READING = "reading"
    CHECKING = "checking"
    WRITING = "writing"


# Planning reports its progress every this many rows.
PROGRESS_EVERY = 500


def _no_progress(phase, done, total):
    pass


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
        return read_sheets(source, self.get_columns(), self.begin_sheet)

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
