"""The layers of docs/ARCHITECTURE.md hold: imports between apps run one way, and nothing dodges a
cycle with an import inside a function (only the heavy libraries below are imported late, by the
code that uses them, so that a web worker which never draws an analysis chart or writes a
spreadsheet does not hold them: about 55 MB together)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each app may import from, besides itself, Django and third-party packages.
ALLOWED = {
    "core": set(),
    "projects": {"core"},
    "costs": {"core", "projects"},
    "outcomes": {"core", "projects"},
    "web": {"core", "projects", "costs", "outcomes"},
    "oa_evidence": {"core"},
}


# Imported inside the functions that use them; web.analysis is the module built on pandas.
LATE_IMPORTS = {"pandas", "openpyxl", "sqlite_utils", "web.analysis"}


def modules(app: str) -> list[Path]:
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


def imported_apps(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(ALLOWED)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_imports_between_apps_run_one_way(app):
    wrong = []
    for path in modules(app):
        for other in imported_apps(ast.parse(path.read_text())) - {app} - ALLOWED[app]:
            wrong.append(f"{path.relative_to(ROOT)} imports {other}")
    assert wrong == []


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_no_imports_inside_functions(app):
    nested = []
    for path in modules(app):
        for function in ast.walk(ast.parse(path.read_text())):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(function):
                    if isinstance(node, ast.Import | ast.ImportFrom) and not _late_import(node):
                        nested.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert nested == []


def _late_import(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.Import):
        return all(alias.name.split(".")[0] in LATE_IMPORTS for alias in node.names)
    top = (node.module or "").split(".")[0]
    return top in LATE_IMPORTS or all(f"{node.module}.{alias.name}" in LATE_IMPORTS for alias in node.names)


def test_only_the_heavy_libraries_may_be_imported_late():
    tree = ast.parse("def f():\n    import pandas as pd\n    from web import analysis\n    from web import cards\n")
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    assert [_late_import(node) for node in imports] == [True, True, False]


def test_the_checker_sees_a_wrong_way_import():
    # The test above could pass by finding nothing; show that it catches one.
    tree = ast.parse("from web.views import home\n\ndef f():\n    import costs\n")
    assert imported_apps(tree) == {"web", "costs"}
