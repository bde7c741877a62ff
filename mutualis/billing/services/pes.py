"""The PES V2 recette file (PES_Aller) of a set of titres, for the Trésor public (Hélios).

One `Bordereau` per exercise and bordereau number (a bordereau is one issuing: see
services/invoices.py), one `Piece` per titre (titre ordinaire of a bordereau ordinaire,
nature fonctionnement), one `LigneDePiece` per line with a non-zero amount, imputed on the
operator's nature (and fonction), the debtor as `Tiers`, and each avis des sommes à payer
attached in `PES_PJ` (gzipped then base64, as the schema asks) and referenced by its piece.

The file is ISO-8859-1, as Hélios expects; text is folded to that character set first.
The layout follows the DGFiP schemas, version 5.17 (PES_V2/Rev0/PES_Aller.xsd).
"""

import base64
import datetime as dt
import gzip
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from mutualis.billing.models import Invoice, InvoiceKind, OperatorIdentity
from mutualis.billing.services.identity import missing_for_pes, operator_identity
from mutualis.billing.services.pdf import invoice_object, invoice_pdf
from mutualis.members.models import EstablishmentKind, MemberKind

NAMESPACE = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller"
ENCODING = "ISO-8859-1"
APPLICATION = "Mutualis"

TYPE_BORDEREAU_ORDINAIRE = "01"
TYPE_PIECE_TITRE_ORDINAIRE = "01"
NATURE_PIECE_FONCTIONNEMENT = "01"
EDITION_WITHOUT_DGFIP = "04"  # the avis is sent by the operator, the comptable can read it
PJ_RECETTE = "002"
DOMAINE_RECETTE = "02"

# Catégorie of the debtor (CatTiers); its nature juridique is always 09, « collectivité
# territoriale / EPL / EPS ».
CATEGORY_BY_KIND = {
    MemberKind.REGION: "21",
    MemberKind.DEPARTEMENT: "22",
    MemberKind.COMMUNE: "23",
    MemberKind.EPCI: "24",
}
CATEGORY_BY_ESTABLISHMENT = {EstablishmentKind.CCAS: "26", EstablishmentKind.SYNDICATE: "24"}
OTHER_PUBLIC_BODY = "29"
NATURE_JURIDIQUE_COLLECTIVITE = "09"

POSTCODE_LINE = re.compile(r"^\s*(\d{5})\s+(.+?)\s*$")

LATIN1_REPLACEMENTS = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u202f": " ",
        "\u2009": " ",
        "\u00a0": " ",
        "\u0153": "oe",
        "\u0152": "OE",
        "\u20ac": "EUR",
        "\u2192": "->",
    }
)


class PesError(ValidationError):
    """The file cannot be built: the message says what to complete."""


def latin1(text: str, limit: int | None = None) -> str:
    """`text` in ISO-8859-1 (accents kept, typographic signs folded), on one line."""
    text = " ".join(str(text).translate(LATIN1_REPLACEMENTS).split())
    folded = []
    for character in text:
        try:
            character.encode("latin-1")
        except UnicodeEncodeError:
            character = unicodedata.normalize("NFKD", character).encode("latin-1", "ignore")
            character = character.decode("latin-1") or "?"
        folded.append(character)
    result = "".join(folded)
    return result[:limit].rstrip() if limit else result


def amount(cents: int) -> str:
    """Integer cents in the schema's decimal: « 1234.50 » (dot, two decimals)."""
    return f"{Decimal(int(cents)).scaleb(-2):.2f}"


@dataclass(frozen=True)
class PostalAddress:
    complement: str  # Adr1
    street: str  # Adr2
    locality: str  # Adr3
    postcode: str
    city: str


def postal_address(text: str) -> PostalAddress | None:
    """The address typed on the payer, read as postal lines: the last line « 33000 Ville »,
    the street the first line starting with a number (else the line before the last)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    match = POSTCODE_LINE.match(lines[-1])
    if not match:
        return None
    rest = lines[:-1]
    street_index = next((i for i, line in enumerate(rest) if line[:1].isdigit()), len(rest) - 1)
    return PostalAddress(
        complement=" ".join(rest[:street_index]),
        street=rest[street_index],
        locality=" ".join(rest[street_index + 1 :]),
        postcode=match.group(1),
        city=match.group(2),
    )


def _el(parent, tag: str, value=None, **attributes):
    element = etree.SubElement(parent, tag, **attributes)
    if value is not None:
        element.set("V", str(value))
    return element


def _text(parent, tag: str, value: str, limit: int):
    text = latin1(value, limit)
    if text:
        _el(parent, tag, text)


def pj_identifier(invoice: Invoice) -> str:
    """The unique reference of the avis attached to a titre (letters and digits only)."""
    return f"ASAP{invoice.year}{invoice.series}{invoice.number:08d}"


def pj_file_name(invoice: Invoice) -> str:
    return f"avis-{invoice.reference}.pdf"


def exportable_titres(invoices):
    """The titres (not their corrections) of `invoices`, in numbering order."""
    return (
        invoices.filter(kind=InvoiceKind.INVOICE)
        .select_related("member", "original")
        .prefetch_related("lines")
        .order_by("year", "bordereau", "number")
    )


def check_identity(identity: OperatorIdentity) -> None:
    missing = missing_for_pes(identity)
    if missing:
        raise PesError(
            _(
                "Identité de l'opérateur incomplète pour le fichier PES : renseignez %(fields)s "
                "(Facturation › Identité de l'opérateur)."
            )
            % {"fields": ", ".join(missing)}
        )


def _check_titres(titres: list[Invoice]) -> None:
    if not titres:
        raise PesError(_("Aucun titre de recettes à transmettre."))
    problems = []
    for invoice in titres:
        if invoice.bordereau is None:
            problems.append(_("%(ref)s : sans bordereau") % {"ref": invoice.reference})
        if postal_address(invoice.payer_address) is None:
            problems.append(
                _("%(ref)s : adresse du payeur sans ligne « code postal commune »")
                % {"ref": invoice.reference}
            )
        if any(line.amount_cents < 0 for line in invoice.lines.all()):
            problems.append(_("%(ref)s : ligne de montant négatif") % {"ref": invoice.reference})
    if problems:
        raise PesError(
            _("Ces titres ne peuvent pas être transmis : %(list)s.")
            % {"list": " ; ".join(problems)}
        )


def _cumulative_totals(titres: list[Invoice]) -> dict[tuple[int, int], int]:
    """MtCumulAnnuel: for each bordereau, the total of its exercise's titres up to it."""
    years = {invoice.year for invoice in titres}
    rows = (
        Invoice.objects.filter(kind=InvoiceKind.INVOICE, year__in=years, bordereau__isnull=False)
        .values("year", "bordereau")
        .annotate(total=Sum("total_cents"))
        .order_by("year", "bordereau")
    )
    cumulative: dict[tuple[int, int], int] = {}
    running: dict[int, int] = defaultdict(int)
    for row in rows:
        running[row["year"]] += row["total"]
        cumulative[(row["year"], row["bordereau"])] = running[row["year"]]
    return cumulative


def _enveloppe(root, file_name: str) -> None:
    enveloppe = _el(root, "Enveloppe")
    parametres = _el(enveloppe, "Parametres")
    _el(parametres, "Version", 2)
    _el(parametres, "TypFic", "PESALR1")
    _el(parametres, "NomFic", file_name[:100])
    emetteur = _el(enveloppe, "Emetteur")
    _el(emetteur, "Sigle", APPLICATION.upper())
    _el(emetteur, "Adresse", APPLICATION)


def _header(root, identity: OperatorIdentity, today: dt.date) -> None:
    header = _el(root, "EnTetePES")
    _el(header, "DteStr", today.isoformat())
    _el(header, "IdPost", identity.poste_code)
    _text(header, "LibellePoste", identity.poste_label, 38)
    _el(header, "IdColl", identity.siret)
    _el(header, "CodCol", identity.collectivity_code)
    _el(header, "CodBud", identity.budget_code)
    _text(header, "LibelleColBud", identity.budget_label or identity.name, 38)


def _tiers(parent, invoice: Invoice) -> None:
    member = invoice.member
    tiers = _el(parent, "Tiers")
    info = _el(tiers, "InfoTiers")
    if invoice.payer_siren:
        _el(info, "IdTiers", invoice.payer_siren)
        _el(info, "NatIdTiers", "02")  # SIREN
    _el(info, "RefTiers", f"M{member.pk}")
    category = CATEGORY_BY_KIND.get(member.kind) or CATEGORY_BY_ESTABLISHMENT.get(
        member.establishment_kind, OTHER_PUBLIC_BODY
    )
    _el(info, "CatTiers", category)
    _el(info, "NatJur", NATURE_JURIDIQUE_COLLECTIVITE)
    _el(info, "TypTiers", "01")  # débiteur principal
    name = latin1(invoice.payer_name)
    _el(info, "Nom", name[:38].rstrip())
    _text(info, "ComplNom", name[38:], 38)
    address = postal_address(invoice.payer_address)
    assert address is not None  # checked before building
    block = _el(tiers, "Adresse")
    _el(block, "TypAdr", "1")
    _text(block, "Adr1", address.complement, 38)
    _el(block, "Adr2", latin1(address.street, 38))
    _text(block, "Adr3", address.locality, 38)
    _el(block, "CP", address.postcode)
    _el(block, "Ville", latin1(address.city, 38))
    _el(block, "CodRes", 0)


def _pj_reference(parent, invoice: Invoice) -> None:
    reference = _el(parent, "PJRef")
    _el(reference, "Support", "01")
    _el(reference, "IdUnique", pj_identifier(invoice))
    _el(reference, "NomPJ", pj_file_name(invoice))
    _el(reference, "TypePJ", PJ_RECETTE)


def _piece(parent, invoice: Invoice, identity: OperatorIdentity) -> None:
    piece = _el(parent, "Piece")
    bloc = _el(piece, "BlocPiece")
    _el(bloc, "IdPce", invoice.number)
    _el(bloc, "TypPce", TYPE_PIECE_TITRE_ORDINAIRE)
    _el(bloc, "NatPce", NATURE_PIECE_FONCTIONNEMENT)
    _el(bloc, "DteAsp", invoice.issued_on.isoformat())
    _el(bloc, "Edition", EDITION_WITHOUT_DGFIP)
    _text(bloc, "ObjPce", f"{invoice.reference} {invoice_object(invoice)}", 160)
    _pj_reference(bloc, invoice)
    lines = [line for line in invoice.lines.all() if line.amount_cents]
    for index, line in enumerate(lines, start=1):
        ligne = _el(piece, "LigneDePiece")
        info = _el(_el(ligne, "BlocLignePiece"), "InfoLignePiece")
        _el(info, "IdLigne", index)
        _text(info, "ObjLignePce", line.label, 160)
        _el(info, "CodProdLoc", identity.product_code)
        _el(info, "Nature", identity.nature)
        if identity.function:
            _el(info, "Fonction", identity.function)
        _el(info, "Majo", 0)
        _el(info, "TvaIntraCom", 0)
        _el(info, "MtHT", amount(line.amount_cents))
        _tiers(ligne, invoice)


def _attachments(root, titres: list[Invoice], identity: OperatorIdentity) -> None:
    pes_pj = _el(root, "PES_PJ")
    _el(_el(pes_pj, "EnTetePES_PJ"), "IdVer", 1)
    for invoice in titres:
        pj = _el(pes_pj, "PJ")
        content = _el(pj, "Contenu")
        fichier = _el(content, "Fichier", MIMEType="application/pdf")
        pdf = invoice_pdf(invoice, identity)
        fichier.text = base64.b64encode(gzip.compress(pdf, mtime=0)).decode("ascii")
        _el(pj, "IdUnique", pj_identifier(invoice))
        _el(pj, "NomPJ", pj_file_name(invoice))
        _el(pj, "TypePJ", PJ_RECETTE)
        _text(
            pj,
            "Description",
            _("Avis des sommes à payer du titre %(ref)s") % {"ref": invoice.reference},
            250,
        )
        ref = _el(pj, "RefCompta")
        _el(ref, "Domaine", DOMAINE_RECETTE)
        _el(ref, "Exercice", invoice.year)
        _el(ref, "TypeObjet", TYPE_BORDEREAU_ORDINAIRE)
        _el(ref, "Identifiant", invoice.number)


def pes_file_name(titres: list[Invoice], identity: OperatorIdentity) -> str:
    years = sorted({invoice.year for invoice in titres})
    bordereaux = sorted({invoice.bordereau for invoice in titres if invoice.bordereau})
    span = f"B{bordereaux[0]}" + (f"-B{bordereaux[-1]}" if len(bordereaux) > 1 else "")
    return f"PES_recette_{identity.collectivity_code}{identity.budget_code}_{years[-1]}_{span}.xml"


def pes_recette(invoices, *, today: dt.date | None = None) -> tuple[str, bytes]:
    """The PES_Aller file of the titres among `invoices` (a queryset): (file name, bytes).

    Raises PesError (a French message) when the operator's identity lacks a PES field or a
    titre cannot be sent (no bordereau, no postal address, a negative line)."""
    identity = operator_identity()
    check_identity(identity)
    titres = list(exportable_titres(invoices))
    _check_titres(titres)
    today = today or timezone.localdate()
    file_name = pes_file_name(titres, identity)
    cumulative = _cumulative_totals(titres)

    # Only the root is in the namespace: its children are unqualified (elementFormDefault).
    root = etree.Element(f"{{{NAMESPACE}}}PES_Aller", nsmap={"n": NAMESPACE})
    _enveloppe(root, file_name)
    _header(root, identity, today)
    recette = _el(root, "PES_RecetteAller")
    entete = _el(recette, "EnTeteRecette")
    _el(entete, "IdVer", 2)
    _el(entete, "InfoDematerialisee", 0)

    by_bordereau: dict[tuple[int, int], list[Invoice]] = defaultdict(list)
    for invoice in titres:
        by_bordereau[(invoice.year, invoice.bordereau)].append(invoice)
    for (year, number), pieces in sorted(by_bordereau.items()):
        bordereau = _el(recette, "Bordereau")
        bloc = _el(bordereau, "BlocBordereau")
        _el(bloc, "Exer", year)
        _el(bloc, "IdBord", number)
        _el(bloc, "DteBordEm", min(p.issued_on for p in pieces).isoformat())
        _el(bloc, "TypBord", TYPE_BORDEREAU_ORDINAIRE)
        _el(bloc, "NbrPce", len(pieces))
        _el(bloc, "MtCumulAnnuel", amount(cumulative[(year, number)]))
        _el(bloc, "MtBordHt", amount(sum(p.total_cents for p in pieces)))
        for invoice in pieces:
            _piece(bordereau, invoice, identity)
    _attachments(root, titres, identity)
    content = etree.tostring(root, xml_declaration=True, encoding=ENCODING, pretty_print=True)
    return file_name, content
