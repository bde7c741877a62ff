"""The avis des sommes à payer carries what a public creditor's avis carries."""

import re
from decimal import Decimal

from mutualis.billing.models import Invoice
from mutualis.billing.services.pdf import invoice_pdf, line_quantity
from mutualis.billing.tests.factories import InvoiceFactory


def pdf_strings(content: bytes) -> str:
    """The text drawn in an uncompressed PDF (reportlab writes one `(…) Tj` per run)."""
    runs = re.findall(rb"\((.*?)\) Tj", content)
    octal = re.compile(rb"\\([0-7]{3}|.)")

    def unescape(match):
        code = match.group(1)
        return bytes([int(code, 8)]) if len(code) == 3 else code

    return " ".join(octal.sub(unescape, r).decode("cp1252") for r in runs)


def test_the_avis_names_creditor_ordonnateur_debtor_and_how_to_pay(identity, issued_titres):
    # the titre of Créon (numbered in the order of the payers' names, which the factories'
    # sequence numbers change from one run of the tests to the next)
    invoice = Invoice.objects.get(run=issued_titres, payer_address__contains="Créon")
    text = pdf_strings(invoice_pdf(invoice))
    for expected in [
        "Syndicat mixte Numérique Entre-deux-Mers",
        "SIRET : 25330100600016",
        "La Présidente, Hélène Duprat",
        invoice.payer_name,
        "33670 Créon",
        f"SIREN : {invoice.payer_siren}",
        f"Titre n° {invoice.reference}",
        "Bordereau n° 1",
        "Exercice 2026",
        "chapitre 70, nature 70848",
        "Service de gestion comptable de Libourne",
        "FR76 3000 1002 1500 0033 0012 824",
        "BDFEFRPPCCT",
        "L. 1617-5",
        "deux",
    ]:
        assert expected in text, expected


def test_a_flat_fee_reads_forfait_and_quantities_are_french(db):
    invoice = InvoiceFactory(with_line=False)
    from mutualis.billing.models import InvoiceLine
    from mutualis.catalog.tests.factories import ServiceFactory

    service = ServiceFactory()
    flat = InvoiceLine.objects.create(
        invoice=invoice, service=service, label="Hébergement", amount_cents=100
    )
    metered = InvoiceLine.objects.create(
        invoice=invoice,
        service=service,
        label="Sauvegarde",
        quantity=Decimal("1234.500"),
        amount_cents=100,
    )
    assert line_quantity(flat) == "forfait"
    assert line_quantity(metered) == "1\u202f234,5"
