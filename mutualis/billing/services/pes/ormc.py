"""The PES V2 rôle ORMC (ordre de recette multi-créanciers) of a set of titres, for Hélios:
the same PES_Aller envelope as the ordinary file, with TypFic PESORMC.

What the DGFiP schemas (5.17) say of an ORMC, and how it is built here:

- one bordereau of type 06 per exercise and budget: the **rôle**. Its IdBord is the rôle
  number, « unique par exercice et par type de rôle pour un budget collectivité »; the
  numbers are given, without gaps, when a file is recorded as transmitted
  (services/transmissions.py), so they come in here as `Role.number`. DteBordEm is the
  rôle's date of issue (the last issue date of its titres), Objet the rôle's object, MtBordHt
  the sum of the amounts of its article lines;
- one **article** per titre (Piece, TypPce 15 « titre ORMC », NatPce 01 fonctionnement): its
  IdPce is the article number in the rôle (1, 2…); a titre ORMC is mono-débiteur, which a
  titre of Mutualis always is (one titre per payer); its lines are the sub-articles (IdLigne
  1, 2…), each imputed on the « proposition de valorisation à 588 » the schema gives for ORMC
  lines, the product identified by the operator's CodProdLoc;
- NumDette: the debt number the ordonnateur gives the debtor: the titre's exercise and number
  (« 202600000007 »). Cle1 (modulo 11) and Cle2 (modulo 23), the control keys of the article,
  are **not written**: the schemas give only their inputs and send to the « ANNEXE TECHNIQUE
  PES SEPA ORMC » for the computation, which we could not find published (no weights, no
  letter table); both are optional, so the file leaves them to Hélios (docs/billing.md);
- Edition 06 « avis des sommes à payer ORMC ENSU à éditer », so each article must announce its
  avis as a PJ of type 010 « Facture ASAP ORMC ENSU à éditer » in a PJRef; the PJ itself is
  referenced (RefCompta) by TypeObjet 06, the rôle number and the article number.

Réductions and annulations are not articles of a rôle: they are left out of this file (see
services/transmissions.py and docs/billing.md).
"""

import datetime as dt
from dataclasses import dataclass

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
    new_root,
    payer_problems,
    pj_description,
    pj_file_name,
    pj_identifier,
    serialize,
    tiers,
    titre_lines,
)

FILE_TYPE = "PESORMC"
TYPE_BORDEREAU_ORMC = "06"
TYPE_PIECE_TITRE_ORMC = "15"
NATURE_PIECE_FONCTIONNEMENT = "01"
EDITION_ORMC_ENSU = "06"  # « avis des sommes à payer ORMC ENSU à éditer »
PJ_FACTURE_ORMC_ENSU = "010"  # « Facture ASAP ORMC ENSU à éditer »
NATURE_ORMC = "588"  # the schema's « proposition de valorisation » for ORMC lines
# What goes into a rôle: titres and titres complémentaires (each asks the debtor for money).
ROLE_KINDS = (InvoiceKind.INVOICE, InvoiceKind.COMPLEMENTARY)


@dataclass(frozen=True)
class Role:
    """One rôle: its exercise, its number, and its titres in article order (article 1…)."""

    year: int
    number: int
    titres: tuple[Invoice, ...]

    @property
    def total_cents(self) -> int:
        return sum(cents for titre in self.titres for _label, cents in titre_lines(titre))

    @property
    def issued_on(self) -> dt.date:
        return max(titre.issued_on for titre in self.titres)


def role_documents(invoices):
    """The titres of `invoices` that go into a rôle, in numbering order."""
    return (
        invoices.filter(kind__in=list(ROLE_KINDS))
        .select_related("member", "original", "run", "decision", "frozen_identity")
        .prefetch_related("lines")
        .order_by("year", "series", "number")
    )


def plan_roles(documents: list[Invoice], numbers: dict[int, int]) -> list[Role]:
    """One rôle per exercise (the budget is the operator's one budget), numbered by `numbers`
    (exercise → rôle number), its articles in the titres' numbering order."""
    by_year: dict[int, list[Invoice]] = {}
    for titre in sorted(documents, key=lambda i: (i.year, i.series, i.number)):
        by_year.setdefault(titre.year, []).append(titre)
    return [Role(year, numbers[year], tuple(titres)) for year, titres in sorted(by_year.items())]


def debt_number(titre: Invoice) -> str:
    """NumDette: the titre's exercise and number, digits only (at most 15)."""
    return f"{titre.year}{titre.number:08d}"


def check_roles(roles: list[Role]) -> None:
    if not roles:
        raise PesError(_("Aucun titre de recettes à mettre en rôle."))
    problems = []
    for role in roles:
        for titre in role.titres:
            problems.extend(payer_problems(titre))
            if titre.kind not in ROLE_KINDS:
                problems.append(
                    _("%(ref)s : une réduction ou une annulation n'est pas un article de rôle")
                    % {"ref": titre.reference}
                )
            elif any(cents <= 0 for _label, cents in titre_lines(titre)):
                problems.append(_("%(ref)s : montant nul ou négatif") % {"ref": titre.reference})
    if problems:
        raise PesError(
            _("Ces titres ne peuvent pas être mis en rôle : %(list)s.")
            % {"list": " ; ".join(problems)}
        )


def role_object(role: Role, identity: OperatorIdentity) -> str:
    return _("Participations %(year)s aux services mutualisés - %(name)s") % {
        "year": role.year,
        "name": identity.name,
    }


def ormc_file_name(roles: list[Role], identity: OperatorIdentity) -> str:
    """« PES_ORMC_14200_2026_R3.xml »: its exercise and its rôle numbers."""
    numbers = "-".join(f"R{role.number}" for role in roles)
    return (
        f"PES_ORMC_{identity.collectivity_code}{identity.budget_code}_{roles[-1].year}_"
        f"{numbers}.xml"
    )


def _article(bordereau, titre: Invoice, article: int, identity: OperatorIdentity) -> None:
    piece = el(bordereau, "Piece")
    bloc = el(piece, "BlocPiece")
    el(bloc, "IdPce", article)
    el(bloc, "TypPce", TYPE_PIECE_TITRE_ORMC)
    el(bloc, "NatPce", NATURE_PIECE_FONCTIONNEMENT)
    el(bloc, "Edition", EDITION_ORMC_ENSU)
    el_text(bloc, "ObjPce", f"{titre.reference} {invoice_object(titre)}", 160)
    el(bloc, "NumDette", debt_number(titre))
    reference = el(bloc, "PJRef")
    el(reference, "Support", "01")
    el(reference, "IdUnique", pj_identifier(titre))
    el(reference, "NomPJ", pj_file_name(titre))
    el(reference, "TypePJ", PJ_FACTURE_ORMC_ENSU)
    for index, (label, cents) in enumerate(titre_lines(titre), start=1):
        ligne = el(piece, "LigneDePiece")
        info = el(el(ligne, "BlocLignePiece"), "InfoLignePiece")
        el(info, "IdLigne", index)  # the sub-article
        el_text(info, "ObjLignePce", label, 160)
        el(info, "CodProdLoc", identity.product_code)
        el(info, "Nature", NATURE_ORMC)
        el(info, "Majo", 0)
        el(info, "TvaIntraCom", 0)
        el(info, "MtHT", amount(cents))
        tiers(ligne, titre)  # the same debtor on every line: a titre ORMC is mono-débiteur


def _attachments(root, roles: list[Role], avis: dict[int, str] | None) -> None:
    pes_pj = el(root, "PES_PJ")
    el(el(pes_pj, "EnTetePES_PJ"), "IdVer", 1)
    for role in roles:
        for article, titre in enumerate(role.titres, start=1):
            pj = el(pes_pj, "PJ")
            fichier = el(el(pj, "Contenu"), "Fichier", MIMEType="application/pdf")
            attach_avis(fichier, titre, avis)  # the avis as issued
            el(pj, "IdUnique", pj_identifier(titre))
            el(pj, "NomPJ", pj_file_name(titre))
            el(pj, "TypePJ", PJ_FACTURE_ORMC_ENSU)
            el_text(pj, "Description", pj_description(titre), 250)
            ref = el(pj, "RefCompta")
            el(ref, "Domaine", DOMAINE_RECETTE)
            el(ref, "Exercice", role.year)
            el(ref, "TypeObjet", TYPE_BORDEREAU_ORMC)
            el(ref, "Identifiant", role.number)
            el(ref, "ComplementIdentifiant", article)


def pes_ormc(
    roles: list[Role], *, today: dt.date | None = None, avis: dict[int, str] | None = None
) -> tuple[str, bytes]:
    """The PES_Aller file (TypFic PESORMC) of `roles`: (file name, bytes). `avis`: the avis
    already rendered (services/transmissions.py).

    Raises PesError (a French message) when the operator's identity lacks a PES field or a
    titre cannot be an article (no postal address, not a titre)."""
    identity = operator_identity()
    check_identity(identity)
    check_roles(roles)
    file_name = ormc_file_name(roles, identity)
    root = new_root()
    enveloppe(root, file_name, FILE_TYPE)
    header(root, identity, today or timezone.localdate())
    recette = el(root, "PES_RecetteAller")
    entete = el(recette, "EnTeteRecette")
    el(entete, "IdVer", 2)
    el(entete, "InfoDematerialisee", 0)
    for role in roles:
        bordereau = el(recette, "Bordereau")
        bloc = el(bordereau, "BlocBordereau")
        el(bloc, "Exer", role.year)
        el(bloc, "IdBord", role.number)
        el(bloc, "DteBordEm", role.issued_on.isoformat())
        el(bloc, "TypBord", TYPE_BORDEREAU_ORMC)
        el(bloc, "NbrPce", len(role.titres))
        el(bloc, "MtBordHt", amount(role.total_cents))
        el_text(bloc, "Objet", role_object(role, identity), 160)
        for article, titre in enumerate(role.titres, start=1):
            _article(bordereau, titre, article, identity)
    _attachments(root, roles, avis)
    return file_name, serialize(root)
