"""An issued titre's avis prints the operator as it was when the titre was issued: changing
the settings later changes the titres issued later, never those already issued."""

import datetime as dt

from mutualis.billing.models import Invoice, InvoiceKind
from mutualis.billing.services.identity import identity_update
from mutualis.billing.services.invoices import invoice_correct
from mutualis.billing.services.pdf import invoice_pdf
from mutualis.billing.tests.factories import InvoiceFactory
from mutualis.billing.tests.test_avis_contents import pdf_strings

NEW = {"name": "Syndicat Numérique Nouveau", "iban": "FR1420041010050500013M02606"}


def test_a_change_of_settings_leaves_issued_avis_as_they_were(identity, issued_titres):
    titre = Invoice.objects.filter(run=issued_titres).order_by("number").first()
    before = invoice_pdf(titre)
    identity_update(**NEW, ordonnateur_name="Paul Martin")
    after = pdf_strings(invoice_pdf(titre))
    assert invoice_pdf(titre) == before
    assert "Syndicat mixte Numérique Entre-deux-Mers" in after
    assert "Hélène Duprat" in after and "Paul Martin" not in after
    # a réduction issued now prints the new settings
    reduction = invoice_correct(
        original=titre,
        kind=InvoiceKind.REDUCTION,
        amount_cents=100,
        reason="Erreur",
        issued_on=dt.date(2026, 11, 20),
    )
    text = pdf_strings(invoice_pdf(reduction))
    assert "Syndicat Numérique Nouveau" in text and "Paul Martin" in text
    assert reduction.frozen_identity_id != titre.frozen_identity_id


def test_titres_issued_with_the_same_settings_share_one_frozen_copy(identity, issued_titres):
    frozen = set(issued_titres.invoices.values_list("frozen_identity", flat=True))
    assert len(frozen) == 1 and None not in frozen


def test_a_titre_issued_before_the_freeze_prints_the_current_settings(identity):
    legacy = InvoiceFactory()  # as the migration leaves older titres: no frozen identity
    assert legacy.frozen_identity_id is None
    identity_update(**NEW)
    assert "Syndicat Numérique Nouveau" in pdf_strings(invoice_pdf(legacy))
