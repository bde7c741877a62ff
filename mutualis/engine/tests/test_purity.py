"""The engine stays pure: no Django, nothing of the project outside mutualis.engine."""

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_engine_imports_neither_django_nor_the_rest_of_the_project() -> None:
    files = sorted(ENGINE.rglob("*.py"))
    assert len(files) > 10
    offenders = [
        f"{path.relative_to(ENGINE)}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.split(".")[0] in {"django", "rest_framework"}
        or (name.startswith("mutualis") and not name.startswith("mutualis.engine"))
    ]
    assert offenders == []
