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
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.billing.models import (
    Invoice,
    InvoiceCounter,
    PesMode,
    PesTransmission,
    PesTransmittedDocument,
)
from mutualis.billing.services.identity import operator_identity
from mutualis.billing.services.invoices import reserve_numbers
from mutualis.billing.services.pdf import invoice_pdf
from mutualis.billing.services.pes import ordinary, ormc
from mutualis.billing.services.pes.common import PesError, check_identity, encoded_pdf

# The rôles ORMC of an exercise are numbered in their own series: Hélios numbers rôles « par
# exercice et par type de rôle pour un budget collectivité ».
ROLE_SERIES = "ROLE"

# What a running job is told of the work (mutualis.core.jobs.Progress, or nothing).
ProgressFn = Callable[..., None]


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
        raise PesError(
            _("Un autre fichier PES vient d'être préparé avec ces titres : recommencez.")
        )


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


def nothing_left() -> PesError:
    return PesError(
        _(
            "Aucun titre à mettre dans un fichier PES : tous sont déjà dans un fichier "
            "préparé. Les fichiers déjà préparés se téléchargent de nouveau depuis "
            "Facturation › Fichiers PES préparés."
        )
    )


def has_pending(invoices) -> bool:
    """Whether a new file would carry something of `invoices`, in the operator's mode."""
    pending_documents = pending(invoices)
    if operator_identity().pes_mode == PesMode.ORMC:
        return ormc.role_documents(pending_documents).exists()
    return ordinary.exportable_documents(pending_documents).exists()


def _no_progress(step=None, done=None, total=None) -> None:
    return None


def render_avis(documents: list[Invoice], progress: ProgressFn = _no_progress) -> dict[int, str]:
    """The avis of `documents` as their PJ holds them (invoice id → gzipped base64 PDF),
    rendered before the file is recorded: the slow part, outside any write transaction."""
    total = len(documents)
    step = _("Avis des sommes à payer")
    progress(step, 0, total)
    rendered = {}
    for done, document in enumerate(documents, start=1):
        rendered[document.pk] = encoded_pdf(invoice_pdf(document))
        if done % 20 == 0 or done == total:
            progress(step, done, total)
    return rendered


def _prepare_ormc(invoices, progress: ProgressFn) -> tuple[list[Invoice], dict[int, str]]:
    documents = list(ormc.role_documents(pending(invoices)))
    if not documents:
        raise nothing_left()
    check_identity(operator_identity())
    ormc.check_roles(ormc.plan_roles(documents, {d.year: 0 for d in documents}))
    return documents, render_avis(documents, progress)


def _prepare_ordinary(invoices, progress: ProgressFn) -> tuple[list[Invoice], dict[int, str]]:
    documents = list(ordinary.exportable_documents(pending(invoices)))
    if not documents:
        raise nothing_left()
    check_identity(operator_identity())
    ordinary.check_documents(documents)
    _check_whole_bordereaux(documents)
    _check_no_role_article_reduced(documents)
    return documents, render_avis(documents, progress)


def pes_transmit(
    *,
    invoices,
    user=None,
    today: dt.date | None = None,
    progress: ProgressFn = _no_progress,
    on_record: Callable[[PesTransmission], None] | None = None,
) -> PesTransmission:
    """Prepares the PES file of the documents of `invoices` (a queryset) not yet carried by a
    file, in the mode of the operator's settings, and records it. Raises PesError (French)
    when there is nothing left to send or the file cannot be built.

    The avis are rendered and the file is built first, reading only (a rôle takes the number
    its series will give next); then one short transaction locks the documents, checks again
    that no other file took them meanwhile, takes the rôle numbers (the file is built again
    in the rare case another rôle took one meanwhile) and records the file (and
    `on_record(transmission)`, e.g. the job that asked for it): a refusal or a crash records
    nothing and takes no number."""
    mode = operator_identity().pes_mode
    if mode == PesMode.ORMC:
        documents, avis = _prepare_ormc(invoices, progress)
        built = _build_ormc(documents, avis, _next_role_numbers(documents), today)
    else:
        documents, avis = _prepare_ordinary(invoices, progress)
        built = _build_ordinary(documents, avis, today)
    progress(_("Enregistrement du fichier"))
    with transaction.atomic():
        _lock(documents)
        if mode == PesMode.ORMC:
            numbers = {
                year: reserve_numbers(year=year, series=ROLE_SERIES) for year in built.numbers
            }
            if numbers != built.numbers:
                built = _build_ormc(documents, avis, numbers, today)
        else:
            _check_whole_bordereaux(documents)
            _check_no_role_article_reduced(documents)
        transmission = _record(mode, built, user)
        if on_record is not None:
            on_record(transmission)
    return transmission


@dataclass(frozen=True)
class _Built:
    file_name: str
    content: bytes
    bordereaux: list[list]
    placements: dict[int, tuple[int | None, int | None, int | None]]
    total_cents: int
    numbers: dict[int, int]  # exercise → rôle number (ORMC)


def _next_role_numbers(documents: list[Invoice]) -> dict[int, int]:
    """The number each exercise's rôle will take, if no other rôle is numbered meanwhile."""
    years = sorted({document.year for document in documents})
    last = dict(
        InvoiceCounter.objects.filter(series=ROLE_SERIES, year__in=years).values_list(
            "year", "last_number"
        )
    )
    return {year: last.get(year, 0) + 1 for year in years}


def _build_ormc(documents, avis, numbers: dict[int, int], today) -> _Built:
    roles = ormc.plan_roles(documents, numbers)
    file_name, content = ormc.pes_ormc(roles, today=today, avis=avis)
    placements: dict[int, tuple[int | None, int | None, int | None]] = {}
    for role in roles:
        for article, titre in enumerate(role.titres, start=1):
            placements[titre.pk] = (role.year, role.number, article)
    return _Built(
        file_name=file_name,
        content=content,
        bordereaux=[[role.year, ormc.TYPE_BORDEREAU_ORMC, role.number] for role in roles],
        placements=placements,
        total_cents=sum(role.total_cents for role in roles),
        numbers=numbers,
    )


def _build_ordinary(documents, avis, today) -> _Built:
    file_name, content = ordinary.pes_recette(
        Invoice.objects.filter(pk__in=[d.pk for d in documents]), today=today, avis=avis
    )
    keys = {(d.year, ordinary.bordereau_type(d), d.bordereau) for d in documents}
    return _Built(
        file_name=file_name,
        content=content,
        bordereaux=[list(key) for key in sorted(keys)],
        placements={document.pk: (None, None, None) for document in documents},
        total_cents=sum(document.total_cents for document in documents),
        numbers={},
    )


def _record(mode: str, built: _Built, user) -> PesTransmission:
    content = built.content
    transmission = PesTransmission.objects.create(
        mode=mode,
        file_name=built.file_name,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        bordereaux=built.bordereaux,
        document_count=len(built.placements),
        total_cents=built.total_cents,
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
        for pk, (year, number, article) in built.placements.items()
    )
    return transmission


def transmission_mark_deposited(*, transmission: PesTransmission, day: dt.date, user) -> None:
    """Notes that the operator deposited the file on Hélios on `day` (Mutualis deposits
    nothing itself); a later date replaces an earlier note."""
    prepared = timezone.localdate(transmission.created_at)
    if day < prepared:
        raise ValidationError(
            {
                "deposited_on": _("Le fichier n'a été préparé que le %(date)s.")
                % {"date": prepared.strftime("%d/%m/%Y")}
            }
        )
    PesTransmission.objects.filter(pk=transmission.pk).update(deposited_on=day, deposited_by=user)


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
