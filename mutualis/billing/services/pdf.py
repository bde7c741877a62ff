"""The « avis des sommes à payer » of a titre, as a PDF (reportlab, no system library)."""

import io
import unicodedata
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mutualis.billing.models import Invoice, InvoiceKind
from mutualis.billing.money import format_euros

# The standard PDF fonts (Helvetica) only know WinAnsi (cp1252): reportlab draws any other
# character with a fallback font, a black square for the narrow no-break space of amounts.
PDF_CHARACTERS = str.maketrans(
    {
        "\u202f": "\u00a0",  # narrow no-break space (amounts, percentages)
        "\u2009": "\u00a0",  # thin space
        "\u2007": "\u00a0",  # figure space
        "\u2212": "-",  # minus sign
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2192": "->",  # rightwards arrow (tariff bands in explanations)
    }
)


def _winansi(character: str) -> str:
    try:
        character.encode("cp1252")
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFKD", character).encode("cp1252", "ignore")
        return decomposed.decode("cp1252") or "?"
    return character


def pdf_text(text: str) -> str:
    """`text` with only characters the PDF's fonts have (WinAnsi / cp1252)."""
    return "".join(_winansi(character) for character in str(text).translate(PDF_CHARACTERS))


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(pdf_text(text)).replace("\n", "<br/>"), style)


def invoice_pdf(invoice: Invoice) -> bytes:
    """Payer identity with SIREN, lines with their explanation, totals and payment terms."""
    styles = getSampleStyleSheet()
    normal, small = styles["Normal"], styles["BodyText"].clone("small", fontSize=8, leading=10)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("Avis des sommes à payer %(ref)s") % {"ref": invoice.reference},
        author=settings.OPERATOR_NAME,
        pageCompression=0,
        invariant=1,
    )
    if invoice.kind == InvoiceKind.INVOICE:
        heading = _("Avis des sommes à payer")
    else:
        heading = _("%(kind)s — titre n° %(ref)s") % {
            "kind": invoice.get_kind_display(),
            "ref": invoice.original.reference if invoice.original else "",
        }
    story = [
        _p(settings.OPERATOR_NAME, styles["Heading3"]),
        _p(heading, styles["Title"]),
        _p(
            _("Titre n° %(ref)s — exercice %(year)s — émis le %(date)s")
            % {
                "ref": invoice.reference,
                "year": invoice.year,
                "date": invoice.issued_on.strftime("%d/%m/%Y"),
            },
            normal,
        ),
        Spacer(1, 6 * mm),
        _p(_("Débiteur"), styles["Heading4"]),
        _p(invoice.payer_name, normal),
        _p(_("SIREN : %(siren)s") % {"siren": invoice.payer_siren or "—"}, normal),
    ]
    if invoice.payer_address:
        story.append(_p(invoice.payer_address, normal))
    if invoice.reason:
        story += [Spacer(1, 4 * mm), _p(_("Motif : %(r)s") % {"r": invoice.reason}, normal)]
    rows = [[pdf_text(_("Objet")), pdf_text(_("Quantité")), pdf_text(_("Montant"))]]
    for line in invoice.lines.all():
        cell = [_p(line.label, normal)]
        if line.explanation:
            cell.append(_p(line.explanation, small))
        quantity = f"{line.quantity.normalize():f}".replace(".", ",") if line.quantity else ""
        rows.append([cell, quantity, pdf_text(format_euros(line.amount_cents))])
    rows.append(
        [_p(_("Total"), styles["Heading4"]), "", pdf_text(format_euros(invoice.total_cents))]
    )
    table = Table(rows, colWidths=[120 * mm, 22 * mm, 32 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
            ]
        )
    )
    story += [Spacer(1, 6 * mm), table, Spacer(1, 8 * mm)]
    if invoice.total_cents > 0:
        story.append(
            _p(
                _(
                    "Modalités de paiement : somme à régler avant le %(due)s auprès du comptable "
                    "public assignataire, par virement sur le compte du Trésor public indiqué sur "
                    "le titre, en rappelant la référence %(ref)s. À défaut de paiement, le "
                    "recouvrement est poursuivi par le comptable public."
                )
                % {"due": invoice.due_on.strftime("%d/%m/%Y"), "ref": invoice.reference},
                normal,
            )
        )
    else:
        story.append(
            _p(
                _("Ce document réduit ou annule le titre cité : aucune somme n'est à payer."),
                normal,
            )
        )
    document.build(story)
    return buffer.getvalue()
