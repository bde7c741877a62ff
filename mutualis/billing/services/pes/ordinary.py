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

import datetime as dt
from collections import defaultdict

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.billing.models import Invoice, InvoiceKind, OperatorIdentity
from mutualis.billing.services.identity import operator_identity
from mutualis.billing.services.pdf import invoice_object
from mutualis.billing.services.pes.common import (
    DOMAINE_RECETTE,
    PesError,
    amount,
    attach_avis,
    check_identity,
    el,
    el_text,
    enveloppe,
    header,
    latin1,
    new_root,
    payer_problems,
    pj_description,
    pj_file_name,
    pj_identifier,
    serialize,
    tiers,
    titre_lines,
)

FILE_TYPE = "PESALR1"
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


def exportable_documents(invoices):
    """The titres and their corrections among `invoices` (titres complémentaires, réductions,
    annulations), in numbering order."""
    return (
        invoices.filter(kind__in=list(TRIPLETS))
        .select_related("member", "original", "run", "decision", "frozen_identity")
        .prefetch_related("lines", "original__lines")
        .order_by("year", "bordereau", "series", "number")
    )


def bordereau_type(invoice: Invoice) -> str:
    return TRIPLETS[invoice.kind][0]


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


def check_documents(documents: list[Invoice]) -> None:
    if not documents:
        raise PesError(_("Aucun titre de recettes pour le fichier PES."))
    problems = []
    for invoice in documents:
        if invoice.bordereau is None:
            problems.append(_("%(ref)s : sans bordereau") % {"ref": invoice.reference})
        problems.extend(payer_problems(invoice))
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
            _("Ces titres ne peuvent pas aller dans un fichier PES : %(list)s.")
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


def _pj_reference(parent, invoice: Invoice) -> None:
    reference = el(parent, "PJRef")
    el(reference, "Support", "01")
    el(reference, "IdUnique", pj_identifier(invoice))
    el(reference, "NomPJ", pj_file_name(invoice))
    el(reference, "TypePJ", PJ_RECETTE)


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
    ligne = el(piece, "LigneDePiece")
    bloc = el(ligne, "BlocLignePiece")
    info = el(bloc, "InfoLignePiece")
    el(info, "IdLigne", index)
    el_text(info, "ObjLignePce", label, 160)
    el(info, "CodProdLoc", identity.product_code)
    el(info, "Nature", identity.nature)
    if identity.function:
        el(info, "Fonction", identity.function)
    el(info, "Majo", 0)
    el(info, "TvaIntraCom", 0)
    el(info, "MtHT", amount(cents))
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
    piece = el(parent, "Piece")
    bloc = el(piece, "BlocPiece")
    el(bloc, "IdPce", invoice.number)
    el(bloc, "TypPce", type_piece)
    el(bloc, "NatPce", nature_piece)
    if invoice.kind in ORDINARY_KINDS:  # a réduction asks the debtor for nothing
        el(bloc, "DteAsp", invoice.issued_on.isoformat())
    el(bloc, "Edition", EDITION_WITHOUT_DGFIP)
    el_text(bloc, "ObjPce", _piece_object(invoice), 160)
    _pj_reference(bloc, invoice)
    for index, (label, cents, original_line) in enumerate(piece_lines(invoice), start=1):
        ligne, bloc_ligne = _ligne(piece, index, label, cents, identity)
        if original_line is not None:
            rattach = el(bloc_ligne, "RattachPiece")
            el(rattach, "NatPceOrig", NATURE_PIECE_ORIGINE_TITRE)
            el(rattach, "ExerRat", invoice.original.year)
            el(rattach, "IdPceOrig", invoice.original.number)
            el(rattach, "IdLigneOrig", original_line)
        tiers(ligne, invoice)


def _attachments(root, documents: list[Invoice], avis: dict[int, str] | None) -> None:
    pes_pj = el(root, "PES_PJ")
    el(el(pes_pj, "EnTetePES_PJ"), "IdVer", 1)
    for invoice in documents:
        pj = el(pes_pj, "PJ")
        content = el(pj, "Contenu")
        fichier = el(content, "Fichier", MIMEType="application/pdf")
        attach_avis(fichier, invoice, avis)  # the avis as issued (its frozen identity)
        el(pj, "IdUnique", pj_identifier(invoice))
        el(pj, "NomPJ", pj_file_name(invoice))
        el(pj, "TypePJ", PJ_RECETTE)
        el_text(pj, "Description", pj_description(invoice), 250)
        ref = el(pj, "RefCompta")
        el(ref, "Domaine", DOMAINE_RECETTE)
        el(ref, "Exercice", invoice.year)
        el(ref, "TypeObjet", bordereau_type(invoice))
        el(ref, "Identifiant", invoice.number)


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


def pes_recette(
    invoices, *, today: dt.date | None = None, avis: dict[int, str] | None = None
) -> tuple[str, bytes]:
    """The PES_Aller file of the titres and corrections among `invoices` (a queryset):
    (file name, bytes). `avis`: the avis already rendered (services/transmissions.py).

    Raises PesError (a French message) when the operator's identity lacks a PES field or a
    document cannot be sent (no bordereau, no postal address, a réduction of a titre of an
    earlier exercise)."""
    identity = operator_identity()
    check_identity(identity)
    documents = list(exportable_documents(invoices))
    check_documents(documents)
    today = today or timezone.localdate()
    file_name = pes_file_name(documents, identity)
    cumulative = _cumulative_totals(documents)

    root = new_root()
    enveloppe(root, file_name, FILE_TYPE)
    header(root, identity, today)
    recette = el(root, "PES_RecetteAller")
    entete = el(recette, "EnTeteRecette")
    el(entete, "IdVer", 2)
    el(entete, "InfoDematerialisee", 0)

    # One bordereau per exercise, type and number: Hélios numbers bordereaux per exercise and
    # type, so a bordereau ordinaire n° 1 and a bordereau d'annulation n° 1 are two bordereaux.
    by_bordereau: dict[BordereauKey, list[Invoice]] = defaultdict(list)
    for invoice in documents:
        by_bordereau[(invoice.year, bordereau_type(invoice), invoice.bordereau)].append(invoice)
    for key, pieces in sorted(by_bordereau.items()):
        year, type_bordereau, number = key
        bordereau = el(recette, "Bordereau")
        bloc = el(bordereau, "BlocBordereau")
        el(bloc, "Exer", year)
        el(bloc, "IdBord", number)
        el(bloc, "DteBordEm", min(p.issued_on for p in pieces).isoformat())
        el(bloc, "TypBord", type_bordereau)
        el(bloc, "NbrPce", len(pieces))
        el(bloc, "MtCumulAnnuel", amount(cumulative[key]))
        el(bloc, "MtBordHt", amount(sum(abs(p.total_cents) for p in pieces)))
        for invoice in pieces:
            _piece(bordereau, invoice, identity)
    _attachments(root, documents, avis)
    return file_name, serialize(root)
