"""The PES V2 recette file (PES_Aller) of a set of titres and their corrections, for the
Trésor public (Hélios).

One `Bordereau` per exercise, type of bordereau and bordereau number (a bordereau is one
issuing: see services/invoices.py), one `Piece` per document, one `LigneDePiece` per line with
a non-zero amount, imputed on the operator's nature (and fonction), the debtor as `Tiers`, and
each avis attached in `PES_PJ` (gzipped then base64, as the schema asks) and referenced by its
piece. Each kind of document is the triplet (TypBord, TypPce, NatPce) of TRIPLETS:

- a titre: bordereau ordinaire (01), titre ordinaire (01), fonctionnement (01);
- a titre complémentaire: bordereau ordinaire (01), titre correctif (02), complémentaire (07).
  The schema's codes say so: TypPce 02 is the « titre correctif » and NatPce 07 the
  « complémentaire » nature, the complement of a titre already taken in charge by the
  comptable; it asks more of the debtor, so it is a titre of a bordereau ordinaire (TypBord
  02 is only for annulations/réductions). The schema asks the RattachPiece block only of the
  annulation triplets, so the complement cites its titre in its object and its avis;
- a réduction or an annulation: bordereau d'annulation/réduction (02), titre correctif (02),
  annulation-réduction (06), its amounts positive (MtHT, MtBordHt > 0), each line with the
  RattachPiece block (NatPceOrig 01 « titres », ExerRat, IdPceOrig, IdLigneOrig) that names
  the line of the titre it reduces. For 02 02 06 the schema asks ExerRat = Exer: a réduction
  of a titre of an earlier exercise is a mandat (PES dépense), which this file refuses.

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
TYPE_BORDEREAU_ANNULATION = "02"  # annulation/réduction
TYPE_PIECE_TITRE_ORDINAIRE = "01"
TYPE_PIECE_TITRE_CORRECTIF = "02"
NATURE_PIECE_FONCTIONNEMENT = "01"
NATURE_PIECE_ANNULATION_REDUCTION = "06"
NATURE_PIECE_COMPLEMENTAIRE = "07"
NATURE_PIECE_ORIGINE_TITRE = "01"  # NatPceOrig: the rectified piece is a titre

# (TypBord, TypPce, NatPce) of each kind of document, a triplet of the DGFiP grid.
TRIPLETS = {
    InvoiceKind.INVOICE: (
        TYPE_BORDEREAU_ORDINAIRE,
        TYPE_PIECE_TITRE_ORDINAIRE,
        NATURE_PIECE_FONCTIONNEMENT,
    ),
    InvoiceKind.COMPLEMENTARY: (
        TYPE_BORDEREAU_ORDINAIRE,
        TYPE_PIECE_TITRE_CORRECTIF,
        NATURE_PIECE_COMPLEMENTAIRE,
    ),
    InvoiceKind.REDUCTION: (
        TYPE_BORDEREAU_ANNULATION,
        TYPE_PIECE_TITRE_CORRECTIF,
        NATURE_PIECE_ANNULATION_REDUCTION,
    ),
    InvoiceKind.CANCELLATION: (
        TYPE_BORDEREAU_ANNULATION,
        TYPE_PIECE_TITRE_CORRECTIF,
        NATURE_PIECE_ANNULATION_REDUCTION,
    ),
}
ORDINARY_KINDS = (InvoiceKind.INVOICE, InvoiceKind.COMPLEMENTARY)
CORRECTION_KINDS = (InvoiceKind.REDUCTION, InvoiceKind.CANCELLATION)
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


def exportable_documents(invoices):
    """The titres and their corrections among `invoices` (titres complémentaires, réductions,
    annulations), in numbering order."""
    return (
        invoices.filter(kind__in=list(TRIPLETS))
        .select_related("member", "original", "run", "decision")
        .prefetch_related("lines", "original__lines")
        .order_by("year", "bordereau", "series", "number")
    )


def bordereau_type(invoice: Invoice) -> str:
    return TRIPLETS[invoice.kind][0]


def titre_lines(invoice: Invoice) -> list[tuple[str, int]]:
    """The lines of a titre (or titre complémentaire) as the file numbers them (IdLigne 1, 2…):
    its non-zero lines, or, when one is negative (a titre complémentaire whose services move
    both ways), one line of its total, the avis giving the detail (MtHT is never negative)."""
    lines = [(line.label, line.amount_cents) for line in invoice.lines.all() if line.amount_cents]
    if any(cents < 0 for _label, cents in lines):
        return [(f"{invoice.reference} {invoice_object(invoice)}", invoice.total_cents)]
    return lines


def reduced_lines(correction: Invoice) -> list[tuple[int, str, int]]:
    """What a réduction or an annulation takes off each line of the titre it corrects:
    (IdLigneOrig, label of that line, positive cents). The corrections of a titre, in their
    numbering order, take what remains on its lines, first line first; so each line of a
    réduction names a line of the titre that still holds its amount (Hélios checks it)."""
    original = correction.original
    titre = titre_lines(original)
    remaining = [cents for _label, cents in titre]
    corrections = original.corrections.filter(kind__in=CORRECTION_KINDS).order_by(
        "year", "number", "pk"
    )
    for document in corrections:
        left, taken = -document.total_cents, []
        for index, available in enumerate(remaining):
            take = min(left, available)
            if take > 0:
                remaining[index] -= take
                left -= take
                taken.append((index + 1, titre[index][0], take))
        if document.pk == correction.pk:
            return taken
    return []


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


def _check_documents(documents: list[Invoice]) -> None:
    if not documents:
        raise PesError(_("Aucun titre de recettes à transmettre."))
    problems = []
    for invoice in documents:
        if invoice.bordereau is None:
            problems.append(_("%(ref)s : sans bordereau") % {"ref": invoice.reference})
        if postal_address(invoice.payer_address) is None:
            problems.append(
                _("%(ref)s : adresse du payeur sans ligne « code postal commune »")
                % {"ref": invoice.reference}
            )
        if invoice.kind in CORRECTION_KINDS:
            original = invoice.original
            if original is None:
                problems.append(_("%(ref)s : sans titre d'origine") % {"ref": invoice.reference})
            elif original.year != invoice.year:
                problems.append(
                    _(
                        "%(ref)s corrige le titre %(orig)s d'un exercice antérieur : c'est un "
                        "mandat d'annulation (PES dépense), à émettre dans le logiciel de "
                        "dépenses"
                    )
                    % {"ref": invoice.reference, "orig": original.reference}
                )
            elif sum(cents for *_rest, cents in reduced_lines(invoice)) != -invoice.total_cents:
                problems.append(
                    _("%(ref)s : dépasse le reste dû sur les lignes du titre %(orig)s")
                    % {"ref": invoice.reference, "orig": original.reference}
                )
    if problems:
        raise PesError(
            _("Ces titres ne peuvent pas être transmis : %(list)s.")
            % {"list": " ; ".join(problems)}
        )


BordereauKey = tuple[int, str, int]  # exercise, type of bordereau, number


def _cumulative_totals(documents: list[Invoice]) -> dict[BordereauKey, int]:
    """MtCumulAnnuel: for each bordereau, the total of the bordereaux of its exercise and type
    up to it (amounts positive, as on the bordereaux)."""
    years = {invoice.year for invoice in documents}
    rows = (
        Invoice.objects.filter(kind__in=list(TRIPLETS), year__in=years, bordereau__isnull=False)
        .values("year", "kind", "bordereau")
        .annotate(total=Sum("total_cents"))
        .order_by()
    )
    totals: dict[BordereauKey, int] = defaultdict(int)
    for row in rows:
        totals[(row["year"], TRIPLETS[row["kind"]][0], row["bordereau"])] += abs(row["total"])
    cumulative: dict[BordereauKey, int] = {}
    running: dict[tuple[int, str], int] = defaultdict(int)
    for key in sorted(totals):
        running[key[:2]] += totals[key]
        cumulative[key] = running[key[:2]]
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


def _piece_object(invoice: Invoice) -> str:
    if invoice.kind in CORRECTION_KINDS:
        return _("%(ref)s %(kind)s du titre %(orig)s : %(object)s") % {
            "ref": invoice.reference,
            "kind": invoice.get_kind_display(),
            "orig": invoice.original.reference,
            "object": invoice_object(invoice),
        }
    return f"{invoice.reference} {invoice_object(invoice)}"


def _ligne(piece, index: int, label: str, cents: int, identity: OperatorIdentity):
    ligne = _el(piece, "LigneDePiece")
    bloc = _el(ligne, "BlocLignePiece")
    info = _el(bloc, "InfoLignePiece")
    _el(info, "IdLigne", index)
    _text(info, "ObjLignePce", label, 160)
    _el(info, "CodProdLoc", identity.product_code)
    _el(info, "Nature", identity.nature)
    if identity.function:
        _el(info, "Fonction", identity.function)
    _el(info, "Majo", 0)
    _el(info, "TvaIntraCom", 0)
    _el(info, "MtHT", amount(cents))
    return ligne, bloc


def piece_lines(invoice: Invoice) -> list[tuple[str, int, int | None]]:
    """The lines of the piece of `invoice`: (label, positive cents, IdLigneOrig or None)."""
    if invoice.kind in CORRECTION_KINDS:
        label = latin1(invoice.lines.all()[0].label) if invoice.lines.all() else ""
        return [
            (f"{label} - {line_label}" if label else line_label, cents, line)
            for line, line_label, cents in reduced_lines(invoice)
        ]
    return [(label, cents, None) for label, cents in titre_lines(invoice)]


def _piece(parent, invoice: Invoice, identity: OperatorIdentity) -> None:
    _type_bordereau, type_piece, nature_piece = TRIPLETS[invoice.kind]
    piece = _el(parent, "Piece")
    bloc = _el(piece, "BlocPiece")
    _el(bloc, "IdPce", invoice.number)
    _el(bloc, "TypPce", type_piece)
    _el(bloc, "NatPce", nature_piece)
    if invoice.kind in ORDINARY_KINDS:  # a réduction asks the debtor for nothing
        _el(bloc, "DteAsp", invoice.issued_on.isoformat())
    _el(bloc, "Edition", EDITION_WITHOUT_DGFIP)
    _text(bloc, "ObjPce", _piece_object(invoice), 160)
    _pj_reference(bloc, invoice)
    for index, (label, cents, original_line) in enumerate(piece_lines(invoice), start=1):
        ligne, bloc_ligne = _ligne(piece, index, label, cents, identity)
        if original_line is not None:
            rattach = _el(bloc_ligne, "RattachPiece")
            _el(rattach, "NatPceOrig", NATURE_PIECE_ORIGINE_TITRE)
            _el(rattach, "ExerRat", invoice.original.year)
            _el(rattach, "IdPceOrig", invoice.original.number)
            _el(rattach, "IdLigneOrig", original_line)
        _tiers(ligne, invoice)


def pj_description(invoice: Invoice) -> str:
    values = {
        "ref": invoice.reference,
        "orig": invoice.original.reference if invoice.original_id else "",
    }
    if invoice.kind == InvoiceKind.COMPLEMENTARY:
        text = _("Avis des sommes à payer du titre complémentaire %(ref)s (au titre %(orig)s)")
    elif invoice.kind == InvoiceKind.REDUCTION:
        text = _("Avis de réduction %(ref)s du titre %(orig)s")
    elif invoice.kind == InvoiceKind.CANCELLATION:
        text = _("Avis d'annulation %(ref)s du titre %(orig)s")
    else:
        text = _("Avis des sommes à payer du titre %(ref)s")
    return text % values


def _attachments(root, documents: list[Invoice], identity: OperatorIdentity) -> None:
    pes_pj = _el(root, "PES_PJ")
    _el(_el(pes_pj, "EnTetePES_PJ"), "IdVer", 1)
    for invoice in documents:
        pj = _el(pes_pj, "PJ")
        content = _el(pj, "Contenu")
        fichier = _el(content, "Fichier", MIMEType="application/pdf")
        pdf = invoice_pdf(invoice, identity)
        fichier.text = base64.b64encode(gzip.compress(pdf, mtime=0)).decode("ascii")
        _el(pj, "IdUnique", pj_identifier(invoice))
        _el(pj, "NomPJ", pj_file_name(invoice))
        _el(pj, "TypePJ", PJ_RECETTE)
        _text(pj, "Description", pj_description(invoice), 250)
        ref = _el(pj, "RefCompta")
        _el(ref, "Domaine", DOMAINE_RECETTE)
        _el(ref, "Exercice", invoice.year)
        _el(ref, "TypeObjet", bordereau_type(invoice))
        _el(ref, "Identifiant", invoice.number)


def _span(prefix: str, numbers: list[int]) -> str:
    return f"{prefix}{numbers[0]}" + (f"-{prefix}{numbers[-1]}" if len(numbers) > 1 else "")


def pes_file_name(documents: list[Invoice], identity: OperatorIdentity) -> str:
    """« PES_recette_14200_2026_B1-B2_BR1.xml »: its bordereaux ordinaires (B) and
    d'annulation/réduction (BR)."""
    years = sorted({invoice.year for invoice in documents})
    spans = []
    for prefix, kinds in (("B", ORDINARY_KINDS), ("BR", CORRECTION_KINDS)):
        numbers = sorted({i.bordereau for i in documents if i.kind in kinds and i.bordereau})
        if numbers:
            spans.append(_span(prefix, numbers))
    return (
        f"PES_recette_{identity.collectivity_code}{identity.budget_code}_{years[-1]}_"
        f"{'_'.join(spans)}.xml"
    )


def pes_recette(invoices, *, today: dt.date | None = None) -> tuple[str, bytes]:
    """The PES_Aller file of the titres and corrections among `invoices` (a queryset):
    (file name, bytes).

    Raises PesError (a French message) when the operator's identity lacks a PES field or a
    document cannot be sent (no bordereau, no postal address, a réduction of a titre of an
    earlier exercise)."""
    identity = operator_identity()
    check_identity(identity)
    documents = list(exportable_documents(invoices))
    _check_documents(documents)
    today = today or timezone.localdate()
    file_name = pes_file_name(documents, identity)
    cumulative = _cumulative_totals(documents)

    # Only the root is in the namespace: its children are unqualified (elementFormDefault).
    root = etree.Element(f"{{{NAMESPACE}}}PES_Aller", nsmap={"n": NAMESPACE})
    _enveloppe(root, file_name)
    _header(root, identity, today)
    recette = _el(root, "PES_RecetteAller")
    entete = _el(recette, "EnTeteRecette")
    _el(entete, "IdVer", 2)
    _el(entete, "InfoDematerialisee", 0)

    # One bordereau per exercise, type and number: Hélios numbers bordereaux per exercise and
    # type, so a bordereau ordinaire n° 1 and a bordereau d'annulation n° 1 are two bordereaux.
    by_bordereau: dict[BordereauKey, list[Invoice]] = defaultdict(list)
    for invoice in documents:
        by_bordereau[(invoice.year, bordereau_type(invoice), invoice.bordereau)].append(invoice)
    for key, pieces in sorted(by_bordereau.items()):
        year, type_bordereau, number = key
        bordereau = _el(recette, "Bordereau")
        bloc = _el(bordereau, "BlocBordereau")
        _el(bloc, "Exer", year)
        _el(bloc, "IdBord", number)
        _el(bloc, "DteBordEm", min(p.issued_on for p in pieces).isoformat())
        _el(bloc, "TypBord", type_bordereau)
        _el(bloc, "NbrPce", len(pieces))
        _el(bloc, "MtCumulAnnuel", amount(cumulative[key]))
        _el(bloc, "MtBordHt", amount(sum(abs(p.total_cents) for p in pieces)))
        for invoice in pieces:
            _piece(bordereau, invoice, identity)
    _attachments(root, documents, identity)
    content = etree.tostring(root, xml_declaration=True, encoding=ENCODING, pretty_print=True)
    return file_name, content
