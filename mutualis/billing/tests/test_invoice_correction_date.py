"""A reduction or cancellation is dated on or after the titre it corrects."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mutualis.billing.models import Invoice, InvoiceCounter, InvoiceKind
from mutualis.billing.services.invoices import invoice_correct
from mutualis.billing.tests.factories import InvoiceFactory


@pytest.fixture
def invoice(db):
    return InvoiceFactory(issued_on=dt.date(2026, 11, 16))


def test_a_correction_dated_before_the_titre_is_refused(invoice):
    with pytest.raises(ValidationError) as error:
        invoice_correct(
            original=invoice,
            kind=InvoiceKind.REDUCTION,
            amount_cents=100,
            reason="geste",
            issued_on=dt.date(2020, 1, 1),
        )
    assert error.value.message_dict["issued_on"] == [
        "La correction ne peut pas être datée d'avant l'émission du titre (16/11/2026)."
    ]
    assert not Invoice.objects.filter(original=invoice).exists()
    assert not InvoiceCounter.objects.filter(year=2020).exists()


def test_a_correction_on_the_day_of_the_titre_is_accepted(invoice):
    correction = invoice_correct(
        original=invoice,
        kind=InvoiceKind.CANCELLATION,
        reason="erreur",
        issued_on=dt.date(2026, 11, 16),
    )
    assert (correction.year, correction.total_cents) == (2026, -invoice.total_cents)


def test_the_form_shows_the_error_on_the_date(client, accountant, invoice):
    client.force_login(accountant)
    response = client.post(
        f"/operateur/facturation/titres/{invoice.pk}/corriger/",
        {"kind": "reduction", "amount": "10,50", "reason": "geste", "issued_on": "2020-01-01"},
    )
    assert response.status_code == 200
    assert "datée d&#x27;avant l&#x27;émission du titre (16/11/2026)" in response.content.decode()
    assert not Invoice.objects.filter(original=invoice).exists()
