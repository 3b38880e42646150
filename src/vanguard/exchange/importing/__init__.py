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

By subject:

- ``rows``: columns, problems and their places, rows, plans and results;
- ``layout``: where the header and the data are in a sheet, what is skipped and said so;
- ``runner``: ``Importer``, its dry run and its apply;
- ``preview``: what a preview shows of a dry run, kept as data (``summarise``).

Apps import these names from here.
"""

from vanguard.exchange.importing.layout import read_sheets
from vanguard.exchange.importing.preview import (
    PREVIEW_LIMIT,
    action_labels,
    preview_context,
    summarise,
)
from vanguard.exchange.importing.rows import (
    CellRef,
    Column,
    FieldChange,
    ImportResult,
    Problem,
    RowAction,
    RowPlan,
    SheetInfo,
    SheetRow,
)
from vanguard.exchange.importing.runner import PROGRESS_EVERY, Importer, Phase

__all__ = [
    "PREVIEW_LIMIT",
    "PROGRESS_EVERY",
    "CellRef",
    "Column",
    "FieldChange",
    "ImportResult",
    "Importer",
    "Phase",
    "Problem",
    "RowAction",
    "RowPlan",
    "SheetInfo",
    "SheetRow",
    "action_labels",
    "preview_context",
    "read_sheets",
    "summarise",
]
