"""The worked example of docs/billing.md (« Exemple : l'ENT exonère les petites communes après
la validation »), replayed: the tariff of the guide, its table of documents, to the cent."""

import datetime as dt
import re
from pathlib import Path

import pytest

from mutualis.billing.models import Invoice, InvoiceKind
from mutualis.billing.money import format_euros
from mutualis.billing.services import tariffs
from mutualis.billing.services.corrections import run_compare, run_validate_correction
from mutualis.billing.services.invoices import invoices_issue
from mutualis.billing.tests.conftest import computed_run
from mutualis.governance.services import operator_decision

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "billing.md"
TITLE = "### Exemple : l'ENT exonère les petites communes après la validation"


def normalize(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def example() -> tuple[str, list[list[str]]]:
    section = GUIDE.read_text(encoding="utf-8").split(TITLE, 1)[1].split("\n## ", 1)[0]
    tariff = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return tariff, [[normalize(c) for c in row.strip("|").split("|")] for row in rows]


def _document(invoice: Invoice) -> str:
    kind = {
        InvoiceKind.REDUCTION: "réduction",
        InvoiceKind.COMPLEMENTARY: "titre complémentaire",
    }[invoice.kind]
    return normalize(f"{kind} {invoice.reference} de {format_euros(abs(invoice.total_cents))}")


@pytest.fixture
def guide_world(world):
    for member, name in zip(world["communes"], "ABC", strict=True):
        member.name = f"Commune {name}"
        member.save(update_fields=["name"])
    return world


def test_the_worked_example_of_the_guide(guide_world):
    world = guide_world
    tariff_text, expected = example()
    base = computed_run(world, validate=True)
    invoices_issue(run=base, issued_on=dt.date(2026, 11, 16))

    draft = tariffs.tariff_new_version(tariff=world["tariffs"][0])
    tariffs.tariff_update(tariff=draft, text=tariff_text)
    decision = operator_decision(
        body="Comité syndical",
        number="2026-31",
        date=dt.date(2026, 11, 20),
        subject="ENT : exonération des petites communes",
    )
    tariffs.tariff_adopt(tariff=draft, decision=decision)
    run = computed_run(world)
    comparison = run_compare(run=run, base=base)
    correction = run_validate_correction(
        run=run, issued_on=dt.date(2026, 11, 27), reason="Exonération ENT"
    )

    by_payer = {document.member_id: document for document in correction.documents}
    actual = [
        [
            row.payer_name,
            row.original.reference,
            normalize(format_euros(row.validated_cents)),
            normalize(format_euros(row.new_cents)),
            normalize(format_euros(row.difference_cents, sign=True)),
            _document(by_payer[row.payer_id]),
        ]
        for row in comparison.rows
    ]
    actual.append(
        [
            "Total",
            "",
            normalize(format_euros(comparison.validated_cents)),
            normalize(format_euros(comparison.new_cents)),
            normalize(format_euros(comparison.difference_cents)),
            "",
        ]
    )
    assert actual == expected
    assert correction.total_cents == comparison.difference_cents == 0
    assert all(d.decision == decision for d in correction.documents)
