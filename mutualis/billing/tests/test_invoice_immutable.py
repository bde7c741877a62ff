"""Issued titres are never edited: corrections are new documents that cite the original."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mutualis.billing.models import ImmutableError, Invoice, InvoiceKind, InvoiceLine
from mutualis.billing.services.invoices import (
    invoice_balance_cents,
    invoice_correct,
    invoices_issue,
)
from mutualis.billing.tests.conftest import computed_run

DAY = dt.date(2026, 11, 16)


@pytest.fixture
def invoice(world):
    run = computed_run(world, validate=True)
    invoices_issue(run=run, issued_on=DAY)
    return Invoice.objects.get(member=world["communes"][1])


def test_an_issued_titre_cannot_be_saved_updated_or_deleted(invoice):
    invoice.total_cents = 1
    with pytest.raises(ImmutableError):
        invoice.save()
    with pytest.raises(ImmutableError):
        Invoice.objects.filter(pk=invoice.pk).update(total_cents=1)
    with pytest.raises(ImmutableError):
        invoice.delete()
    with pytest.raises(ImmutableError):
        Invoice.objects.filter(pk=invoice.pk).delete()
    line = invoice.lines.first()
    line.amount_cents = 0
    with pytest.raises(ImmutableError):
        line.save()
    with pytest.raises(ImmutableError):
        InvoiceLine.objects.filter(pk=line.pk).update(amount_cents=0)


def test_a_reduction_then_a_cancellation(invoice):
    total = invoice.total_cents
    reduction = invoice_correct(
        original=invoice,
        kind=InvoiceKind.REDUCTION,
        amount_cents=1000,
        reason="erreur d'effectif",
        issued_on=dt.date(2026, 11, 20),
    )
    assert (reduction.series, reduction.number, reduction.year) == ("R", 1, 2026)
    assert reduction.original == invoice
    assert reduction.total_cents == -1000
    assert invoice_balance_cents(invoice) == total - 1000
    with pytest.raises(ValidationError):
        invoice_correct(
            original=invoice,
            kind=InvoiceKind.REDUCTION,
            amount_cents=total,
            reason="trop",
            issued_on=dt.date(2026, 11, 20),
        )
    cancellation = invoice_correct(
        original=invoice,
        kind=InvoiceKind.CANCELLATION,
        reason="doublon",
        issued_on=dt.date(2026, 11, 21),
    )
    assert cancellation.total_cents == -(total - 1000)
    assert invoice_balance_cents(invoice) == 0
    invoice.refresh_from_db()
    assert invoice.total_cents == total
    with pytest.raises(ValidationError):
        invoice_correct(
            original=invoice,
            kind=InvoiceKind.CANCELLATION,
            reason="encore",
            issued_on=dt.date(2026, 11, 22),
        )


def test_a_correction_needs_a_reason(invoice):
    with pytest.raises(ValidationError):
        invoice_correct(original=invoice, kind=InvoiceKind.CANCELLATION, reason=" ", issued_on=DAY)


def test_the_correction_page(client, accountant, invoice):
    client.force_login(accountant)
    response = client.post(
        f"/operateur/facturation/titres/{invoice.pk}/corriger/",
        {"kind": "reduction", "amount": "10,50", "reason": "geste", "issued_on": "2026-11-18"},
    )
    assert response.status_code == 302
    correction = Invoice.objects.get(original=invoice)
    assert correction.total_cents == -1050


def test_a_correction_is_numbered_in_the_exercise_of_its_date(db):
    from mutualis.billing.tests.factories import InvoiceFactory

    titre = InvoiceFactory(year=2025, issued_on=dt.date(2025, 12, 15))
    reduction = invoice_correct(
        original=titre,
        kind=InvoiceKind.REDUCTION,
        amount_cents=100,
        reason="erreur d'effectif",
        issued_on=dt.date(2026, 1, 10),
    )
    assert (reduction.series, reduction.number, reduction.year) == ("R", 1, 2026)
