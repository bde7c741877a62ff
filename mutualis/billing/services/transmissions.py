"""The PES files sent to the comptable public: each document once, each file kept.

Hélios refuses a bordereau (or a rôle) whose number it already holds for the exercise: a file
must never carry again what an earlier file carried. So preparing a file records it
(PesTransmission: its bytes, their SHA-256, who, when, its bordereaux or rôles) together
with the documents it carries (PesTransmittedDocument, one row per document, unique): the
next file takes only the documents never transmitted, and the file of a past transmission is
downloaded again byte for byte.

The operator's identity settings choose the file (OperatorIdentity.pes_mode):

- titres ordinaires (PESALR1): titres, titres complémentaires and their réductions and
  annulations, on the bordereaux they were issued on (services/pes/ordinary.py);
- rôle ORMC (PESORMC): the titres and titres complémentaires never transmitted, one rôle per
  exercise numbered here without gaps (series ROLE_SERIES of the numbering counters), one
  article per titre (services/pes/ormc.py). Réductions and annulations are not articles of a
  rôle: they stay out of the file (the page says so).
"""

import datetime as dt
import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from mutualis.billing.models import (
    Invoice,
    PesMode,
    PesTransmission,
    PesTransmittedDocument,
)
from mutualis.billing.services.identity import operator_identity
from mutualis.billing.services.invoices import reserve_numbers
from mutualis.billing.services.pes import ordinary, ormc
from mutualis.billing.services.pes.common import PesError

# The rôles ORMC of an exercise are numbered in their own series: Hélios numbers rôles « par
# exercice et par type de rôle pour un budget collectivité ».
ROLE_SERIES = "ROLE"


def pending(invoices):
    """The documents of `invoices` no PES file has carried yet."""
    return invoices.filter(transmitted__isnull=True)


def untransmitted_corrections(invoices) -> list[Invoice]:
    """In ORMC mode: the réductions and annulations of `invoices` no file carries."""
    return list(
        pending(invoices).filter(kind__in=ordinary.CORRECTION_KINDS).order_by("year", "number")
    )


def _lock(documents: list[Invoice]) -> None:
    """Locks the documents so that two files prepared at once never carry the same one."""
    ids = [document.pk for document in documents]
    list(Invoice.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    if PesTransmittedDocument.objects.filter(invoice_id__in=ids).exists():
        raise PesError(_("Un autre fichier vient de transmettre ces titres : recommencez."))


def _check_whole_bordereaux(documents: list[Invoice]) -> None:
    """A bordereau goes to Hélios once, whole: refuse to send the rest of one already sent."""
    keys = {(d.year, ordinary.bordereau_type(d), d.bordereau) for d in documents}
    sent = PesTransmittedDocument.objects.filter(
        transmission__mode=PesMode.ORDINARY,
        invoice__year__in={key[0] for key in keys},
        invoice__bordereau__in={key[2] for key in keys},
    ).select_related("invoice", "transmission")
    for row in sent:
        invoice = row.invoice
        key = (invoice.year, ordinary.bordereau_type(invoice), invoice.bordereau)
        if key in keys:
            raise PesError(
                _(
                    "Le bordereau n° %(number)s de l'exercice %(year)s est déjà parti en partie "
                    "dans le fichier %(file)s : Hélios ne le reprendrait pas."
                )
                % {"number": key[2], "year": key[0], "file": row.transmission.file_name}
            )


def _check_no_role_article_reduced(documents: list[Invoice]) -> None:
    """A réduction names the titre it reduces (RattachPiece); a titre sent as an article of a
    rôle ORMC is known to Hélios by its rôle and article, not by its titre number."""
    originals = [d.original_id for d in documents if d.kind in ordinary.CORRECTION_KINDS]
    in_roles = PesTransmittedDocument.objects.filter(
        invoice_id__in=originals, transmission__mode=PesMode.ORMC
    ).select_related("invoice")
    problems = [
        _("%(ref)s est parti comme article %(article)s du rôle n° %(role)s (%(year)s)")
        % {
            "ref": row.invoice.reference,
            "article": row.article,
            "role": row.role_number,
            "year": row.role_year,
        }
        for row in in_roles
    ]
    if problems:
        raise PesError(
            _(
                "Une réduction ou une annulation d'un article de rôle ORMC ne part pas sur un "
                "bordereau d'annulation : %(list)s. Voyez-la avec votre comptable public."
            )
            % {"list": " ; ".join(problems)}
        )


def _nothing_left() -> PesError:
    return PesError(
        _(
            "Aucun titre à transmettre : tous ont déjà été transmis. Les fichiers déjà "
            "préparés se téléchargent de nouveau depuis Facturation › Fichiers PES transmis."
        )
    )


@transaction.atomic
def pes_transmit(*, invoices, user=None, today: dt.date | None = None) -> PesTransmission:
    """Prepares the PES file of the documents of `invoices` (a queryset) not yet transmitted,
    in the mode of the operator's settings, and records it. Raises PesError (French) when
    there is nothing left to send or the file cannot be built."""
    mode = operator_identity().pes_mode
    placements: dict[int, tuple[int | None, int | None, int | None]] = {}
    if mode == PesMode.ORMC:
        documents = list(ormc.role_documents(pending(invoices)))
        if not documents:
            raise _nothing_left()
        _lock(documents)
        years = sorted({document.year for document in documents})
        numbers = {year: reserve_numbers(year=year, series=ROLE_SERIES) for year in years}
        roles = ormc.plan_roles(documents, numbers)
        file_name, content = ormc.pes_ormc(roles, today=today)
        bordereaux = [[role.year, ormc.TYPE_BORDEREAU_ORMC, role.number] for role in roles]
        for role in roles:
            for article, titre in enumerate(role.titres, start=1):
                placements[titre.pk] = (role.year, role.number, article)
        total = sum(role.total_cents for role in roles)
    else:
        documents = list(ordinary.exportable_documents(pending(invoices)))
        if not documents:
            raise _nothing_left()
        _lock(documents)
        _check_whole_bordereaux(documents)
        _check_no_role_article_reduced(documents)
        file_name, content = ordinary.pes_recette(
            Invoice.objects.filter(pk__in=[d.pk for d in documents]), today=today
        )
        keys = {(d.year, ordinary.bordereau_type(d), d.bordereau) for d in documents}
        bordereaux = [list(key) for key in sorted(keys)]
        placements = {document.pk: (None, None, None) for document in documents}
        total = sum(document.total_cents for document in documents)
    transmission = PesTransmission.objects.create(
        mode=mode,
        file_name=file_name,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        bordereaux=bordereaux,
        document_count=len(placements),
        total_cents=total,
        created_by=user,
    )
    PesTransmittedDocument.objects.bulk_create(
        PesTransmittedDocument(
            transmission=transmission,
            invoice_id=pk,
            role_year=year,
            role_number=number,
            article=article,
        )
        for pk, (year, number, article) in placements.items()
    )
    return transmission


def bordereau_labels(transmission: PesTransmission) -> list[str]:
    """« rôle n° 1 (2026) », « bordereau n° 2 (2026) », « bordereau d'annulation n° 1 »."""
    names = {
        ordinary.TYPE_BORDEREAU_ORDINAIRE: _("bordereau n° %(n)s (%(y)s)"),
        ordinary.TYPE_BORDEREAU_ANNULATION: _("bordereau d'annulation/réduction n° %(n)s (%(y)s)"),
        ormc.TYPE_BORDEREAU_ORMC: _("rôle n° %(n)s (%(y)s)"),
    }
    return [
        names[kind] % {"n": number, "y": year} for year, kind, number in transmission.bordereaux
    ]
