"""The example files of docs/imports.md import cleanly, in the order of the document."""

import re
from pathlib import Path

from django.conf import settings

from mutualis.imports.tests.factories import ServiceFactory
from mutualis.imports.tests.helpers import run_import

DOC = Path(settings.BASE_DIR) / "docs" / "imports.md"
KINDS = ["members", "establishments", "memberships", "subscriptions", "usage"]


def test_every_example_imports_without_error(territory):
    ServiceFactory(code="sauvegarde")
    ServiceFactory(code="messagerie")
    examples = re.findall(r"```csv\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert len(examples) == len(KINDS)

    for kind, example in zip(KINDS, examples, strict=True):
        report = run_import(kind, f"{kind}.csv", example.encode())
        assert report.ok, [str(e) for e in report.errors]
        assert report.created == example.count("\n") - 1


def test_every_kind_has_an_importer_and_an_export():
    from mutualis.imports.exports import EXPORTS
    from mutualis.imports.importers import IMPORTERS
    from mutualis.imports.models import ImportKind

    # A campaign's needs are exported per lot from the campaign's page (purchasing).
    assert set(IMPORTERS) == set(ImportKind.values)
    assert set(EXPORTS) == set(ImportKind.values) - {ImportKind.NEEDS}
