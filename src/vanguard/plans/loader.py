"""Loading a plan file: read it, check it whole, then write it through ``do_load_plan``.

Pages, jobs and the ``loadplan`` command all call ``load_plan``.
"""

from pathlib import Path

from vanguard.plans.actions import LoadReport, do_load_plan
from vanguard.plans.schema import InvalidPlan, Plan, parse_plan

__all__ = ["InvalidPlan", "LoadReport", "load_plan", "read_plan"]


def _text_of(path_or_text) -> str:
    """The YAML text: a Path, or a one-line str, names a file; bytes and other str are the text."""
    if isinstance(path_or_text, bytes):
        return path_or_text.decode("utf-8")
    if isinstance(path_or_text, Path):
        return path_or_text.read_text(encoding="utf-8")
    # A plan's text always has many lines; a single line can only be a file name.
    if "\n" not in path_or_text:
        return Path(path_or_text).read_text(encoding="utf-8")
    return path_or_text


def read_plan(path_or_text) -> Plan:
    """Read and check a plan without touching the database; raise InvalidPlan on problems."""
    return parse_plan(_text_of(path_or_text))


def load_plan(path_or_text, *, actor, dry_run: bool = False) -> LoadReport:
    """Check a plan whole and, if it has no problems, load it in one transaction."""
    return do_load_plan(read_plan(path_or_text), actor=actor, dry_run=dry_run)
