"""Amounts in the PDF use a space the standard font has, not a fallback glyph (black square)."""

from mutualis.billing.models import InvoiceLine
from mutualis.billing.money import format_euros
from mutualis.billing.services.pdf import invoice_pdf, pdf_text
from mutualis.billing.tests.factories import InvoiceFactory


def test_the_text_sent_to_the_font_is_winansi():
    text = pdf_text(f"{format_euros(134788)} {format_euros(-500)} tranche 2 → 4 ≤ 5 œ — ’ «»")
    text.encode("cp1252")  # raises if a character is missing from WinAnsi
    assert text.startswith("1\xa0347,88\xa0€ -5,00\xa0€ tranche 2 -> 4 ? 5 œ — ’ «»")


def test_amounts_are_drawn_with_a_real_space_in_helvetica(db):
    invoice = InvoiceFactory(total_cents=134788, with_line=False)
    InvoiceLine.objects.create(
        invoice=invoice,
        label="Sauvegarde",
        amount_cents=134788,
        explanation=f"coût 2\u202f000,00\u202f€ − FEDER {format_euros(65212)} → tranche 2",
    )
    content = invoice_pdf(invoice)  # built without page compression
    assert b"(1 347,88 \\200) Tj" in content  # WinAnsi: € is \200, the space a plain space
    assert b"ZapfDingbats" not in content
    assert b"/Symbol" not in content
