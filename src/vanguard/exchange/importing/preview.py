"""The preview of a checked sheet, kept as data: bounded, JSON-ready, rendered in one template.

``summarise`` turns a dry run into what the preview shows (counts, listed rows, problems,
notes), small enough to keep in a job's result; ``preview_context`` turns that data into
the context of exchange/preview.html, whether the sheet was checked in the request or in
a job (docs/decisions/0015-background-imports.md).
"""

from dataclasses import asdict, fields
from types import SimpleNamespace

from django.utils.translation import gettext as _

from vanguard.exchange.importing.rows import Problem, RowAction

# A preview lists at most this many rows (problems first) and sheet problems; its
# counts cover them all.
PREVIEW_LIMIT = 500


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
