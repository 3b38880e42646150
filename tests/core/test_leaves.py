"""core is the bottom layer: it imports no app of the project (0017)."""

import ast
from pathlib import Path

import vanguard.core

CORE = Path(vanguard.core.__file__).resolve().parent


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "vanguard":
                yield from ("vanguard." + alias.name for alias in node.names)
            else:
                yield node.module


def test_core_imports_nothing_of_the_project_but_itself():
    found = [
        "{}: {}".format(path.relative_to(CORE), module)
        for path in sorted(CORE.rglob("*.py"))
        for module in imported_modules(path)
        if module.startswith("vanguard.") and not module.startswith("vanguard.core")
    ]
    assert found == []
