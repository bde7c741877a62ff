"""The detection package stays pure: no Django, nothing of the project outside it."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_detection_imports_neither_django_nor_the_rest_of_the_project() -> None:
    files = sorted(PACKAGE.glob("*.py"))
    assert len(files) >= 9
    offenders = [
        f"{path.name}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.split(".")[0] in {"django", "rest_framework"}
        or (name.startswith("mutualis") and not name.startswith("mutualis.detection"))
    ]
    assert offenders == []
