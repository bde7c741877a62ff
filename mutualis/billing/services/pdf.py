"""The « avis des sommes à payer » of a titre, as a PDF (reportlab, no system library).

It carries what a public creditor's avis carries: the operator (creditor) and its
ordonnateur, the debtor, the titre with its bordereau, exercice and imputation, the lines,
the amount and due date, how to pay the comptable public, and the means of appeal.
"""

import io
import unicodedata
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mutualis.billing.models import Invoice, InvoiceKind, InvoiceLine, OperatorIdentity
from mutualis.billing.money import format_euros, format_quantity
from mutualis.billing.services.identity import avis_identity

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
    text = str(text).translate(PDF_CHARACTERS)
    try:
        text.encode("cp1252")  # nearly always: no character to look at one by one
    except UnicodeEncodeError:
        return "".join(_winansi(character) for character in text)
    return text


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(pdf_text(text)).replace("\n", "<br/>"), style)


def _date(day) -> str:
    return day.strftime("%d/%m/%Y")


def line_quantity(line: InvoiceLine) -> str:
    """A flat fee reads « forfait », a correction « 1 », the difference of a service on a titre
    complémentaire « écart », a quantity in French notation."""
    if line.service_id is None:
        return "1"
    if line.invoice.kind == InvoiceKind.COMPLEMENTARY:
        return _("écart")
    if not line.quantity:
        return _("forfait")
    return format_quantity(line.quantity)


def decision_text(invoice: Invoice) -> str:
    decision = invoice.decision
    if decision is None:
        return ""
    text = _("%(body)s, délibération n° %(number)s du %(date)s") % {
        "body": decision.body,
        "number": decision.number or "—",
        "date": _date(decision.date),
    }
    return f"{text} ({decision.subject})" if decision.subject else text


def invoice_object(invoice: Invoice) -> str:
    """What the document is for; a titre complémentaire says what it complements and why."""
    if invoice.kind == InvoiceKind.INVOICE:
        return _("Participations %(year)s aux services numériques mutualisés") % {
            "year": invoice.year
        }
    if invoice.kind == InvoiceKind.COMPLEMENTARY:
        original = invoice.original
        parts = [
            _(
                "Titre complémentaire au titre n° %(ref)s du %(date)s : complément des "
                "participations %(year)s aux services numériques mutualisés."
            )
            % {
                "ref": original.reference if original else "—",
                "date": _date(original.issued_on) if original else "—",
                "year": invoice.run.year if invoice.run_id else invoice.year,
            }
        ]
    else:
        parts = [invoice.reason or invoice.get_kind_display()]
        if not invoice.decision_id:
            return parts[0]
    if invoice.kind == InvoiceKind.COMPLEMENTARY and invoice.reason:
        parts.append(_("Motif : %(reason)s.") % {"reason": invoice.reason})
    if invoice.decision_id:
        parts.append(_("Décision : %(decision)s.") % {"decision": decision_text(invoice)})
    return " ".join(parts)


def _logo(identity: OperatorIdentity) -> Image | None:
    content = bytes(identity.logo or b"")
    if not content:
        return None
    width, height = ImageReader(io.BytesIO(content)).getSize()
    box = 24 * mm
    scale = min(box / width, box / height)
    return Image(io.BytesIO(content), width=width * scale, height=height * scale)


def _creditor(identity: OperatorIdentity, styles) -> list:
    normal = styles["Normal"]
    cell = [_p(identity.name or settings.OPERATOR_NAME, styles["Heading3"])]
    if identity.address:
        cell.append(_p(identity.address, normal))
    if identity.siret:
        cell.append(_p(_("SIRET : %(siret)s") % {"siret": identity.siret}, normal))
    logo = _logo(identity)
    return [logo, *cell] if logo else cell


def _titre_facts(invoice: Invoice, identity: OperatorIdentity, styles) -> list:
    normal = styles["Normal"]
    if invoice.kind == InvoiceKind.INVOICE:
        heading = _("Avis des sommes à payer")
    elif invoice.kind == InvoiceKind.COMPLEMENTARY:
        heading = _("Avis des sommes à payer — titre complémentaire au titre n° %(ref)s") % {
            "ref": invoice.original.reference if invoice.original else "—"
        }
    else:
        heading = _("%(kind)s — titre n° %(ref)s") % {
            "kind": invoice.get_kind_display(),
            "ref": invoice.original.reference if invoice.original else "",
        }
    facts = [
        _("Titre n° %(ref)s") % {"ref": invoice.reference},
        _("Exercice %(year)s") % {"year": invoice.year},
    ]
    if invoice.bordereau and invoice.kind in (InvoiceKind.REDUCTION, InvoiceKind.CANCELLATION):
        # numbered in its own series (services/invoices.py): say which bordereau it is
        facts.append(_("Bordereau d'annulation/réduction n° %(n)s") % {"n": invoice.bordereau})
    elif invoice.bordereau:
        facts.append(_("Bordereau n° %(n)s") % {"n": invoice.bordereau})
    facts.append(_("Émis le %(date)s") % {"date": _date(invoice.issued_on)})
    if identity.budget_label:
        facts.append(_("Budget : %(label)s") % {"label": identity.budget_label})
    imputation = [
        _("chapitre %(c)s") % {"c": identity.chapter} if identity.chapter else "",
        _("nature %(n)s") % {"n": identity.nature} if identity.nature else "",
        _("fonction %(f)s") % {"f": identity.function} if identity.function else "",
    ]
    if any(imputation):
        facts.append(
            _("Imputation : %(i)s") % {"i": ", ".join(part for part in imputation if part)}
        )
    return [_p(heading, styles["Heading2"]), *(_p(fact, normal) for fact in facts)]


def _debtor(invoice: Invoice, styles) -> list:
    normal = styles["Normal"]
    cell = [_p(_("Débiteur"), styles["Heading4"]), _p(invoice.payer_name, normal)]
    if invoice.payer_address:
        cell.append(_p(invoice.payer_address, normal))
    cell.append(_p(_("SIREN : %(siren)s") % {"siren": invoice.payer_siren or "—"}, normal))
    return cell


def _lines_table(invoice: Invoice, styles) -> Table:
    normal = styles["Normal"]
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    rows = [[pdf_text(_("Objet")), pdf_text(_("Quantité")), pdf_text(_("Montant"))]]
    for line in invoice.lines.all():
        cell = [_p(line.label, normal)]
        if line.explanation:
            cell.append(_p(line.explanation, small))
        rows.append(
            [cell, pdf_text(line_quantity(line)), pdf_text(format_euros(line.amount_cents))]
        )
    rows.append(
        [
            _p(_("Montant du titre"), styles["Heading4"]),
            "",
            pdf_text(format_euros(invoice.total_cents)),
        ]
    )
    table = Table(rows, colWidths=[118 * mm, 24 * mm, 32 * mm], repeatRows=1)
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
    return table


def _payment(invoice: Invoice, identity: OperatorIdentity, styles) -> list:
    normal = styles["Normal"]
    if invoice.total_cents <= 0:
        return [
            _p(
                _("Ce document réduit ou annule le titre cité : aucune somme n'est à payer."),
                normal,
            )
        ]
    block = [
        _p(_("Comment payer"), styles["Heading4"]),
        _p(
            _("Somme de %(amount)s à payer avant le %(due)s au comptable public :")
            % {"amount": format_euros(invoice.total_cents), "due": _date(invoice.due_on)},
            normal,
        ),
    ]
    comptable = "\n".join(
        part for part in (identity.accountant_name, identity.accountant_address) if part
    )
    block.append(_p(comptable or _("le comptable public assignataire de l'opérateur"), normal))
    if identity.iban:
        block.append(
            _p(
                _("Par virement au compte du Trésor public :\nIBAN %(iban)s — BIC %(bic)s")
                % {"iban": _iban_groups(identity.iban), "bic": identity.bic or "—"},
                normal,
            )
        )
    block.append(
        _p(
            _("Référence à rappeler avec le paiement : %(ref)s")
            % {"ref": payment_reference(invoice)},
            normal,
        )
    )
    return block


def payment_reference(invoice: Invoice) -> str:
    """What the debtor writes on the transfer: the titre and its exercice."""
    return invoice.reference


def _iban_groups(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _appeal(styles) -> list:
    small = styles["BodyText"].clone("appeal", fontSize=8, leading=10)
    return [
        _p(_("Voies et délais de recours"), styles["Heading4"]),
        _p(
            _(
                "Vous pouvez contester le bien-fondé de la somme réclamée dans un délai de deux "
                "mois à compter de la réception du présent avis, en saisissant directement la "
                "juridiction compétente selon la nature de la créance (article L. 1617-5 du code "
                "général des collectivités territoriales). Pour une participation à un service "
                "public administratif, il s'agit du tribunal administratif. Cette contestation "
                "suspend le recouvrement. La régularité d'un acte de poursuite se conteste, dans "
                "les deux mois de sa notification, devant le juge de l'exécution."
            ),
            small,
        ),
    ]


def _signature(identity: OperatorIdentity, styles) -> list:
    if not (identity.ordonnateur_name or identity.ordonnateur_title):
        return []
    signed = ", ".join(
        part for part in (identity.ordonnateur_title, identity.ordonnateur_name) if part
    )
    return [
        _p(
            _("Titre émis et rendu exécutoire par l'ordonnateur : %(who)s.") % {"who": signed},
            styles["Normal"],
        )
    ]


def invoice_pdf(invoice: Invoice, identity: OperatorIdentity | None = None) -> bytes:
    """The avis of `invoice`, with the operator's identity as it was when the titre was issued
    (services/identity.avis_identity), unless `identity` is given."""
    identity = identity or avis_identity(invoice)
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=_("Avis des sommes à payer %(ref)s") % {"ref": invoice.reference},
        author=identity.name or settings.OPERATOR_NAME,
        pageCompression=0,
        invariant=1,
    )
    header = Table(
        [
            [_creditor(identity, styles), _titre_facts(invoice, identity, styles)],
            [[], _debtor(invoice, styles)],
        ],
        colWidths=[87 * mm, 87 * mm],
    )
    header.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("BOX", (1, 1), (1, 1), 0.5, colors.grey),
            ]
        )
    )
    story = [
        header,
        Spacer(1, 5 * mm),
        _p(_("Objet : %(object)s") % {"object": invoice_object(invoice)}, styles["Normal"]),
        Spacer(1, 3 * mm),
        _lines_table(invoice, styles),
        Spacer(1, 5 * mm),
        *_payment(invoice, identity, styles),
        Spacer(1, 3 * mm),
        *_signature(identity, styles),
        *_appeal(styles),
    ]
    document.build(story)
    return buffer.getvalue()
