"""Preparing a PES file is a background job (mutualis.core.jobs): the page that asks for it
queues a PesPreparation and shows its progress, then the file to download.

The worker renders the avis (the slow part) reading only, then records the file in one short
transaction (services/transmissions.py): a failed preparation records nothing and takes no
rôle number. One preparation at a time: asking again while one is queued or running gives
that one.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.billing.models import (
    AllocationRun,
    Invoice,
    PesPreparation,
    PesTransmission,
    RunStatus,
)
from mutualis.billing.services import transmissions
from mutualis.billing.services.identity import operator_identity
from mutualis.billing.services.pes.common import PesError, check_identity
from mutualis.core.jobs import (
    JobFailure,
    JobStatus,
    Progress,
    fail_abandoned,
    job_enqueue,
    job_run,
)

RUN_STATUSES_WITH_TITRES = (RunStatus.VALIDATED, RunStatus.SUPERSEDED)


def preparation_invoices(preparation: PesPreparation):
    """The titres a preparation takes: its run's, or its exercise's."""
    if preparation.run_id is not None:
        return Invoice.objects.filter(run_id=preparation.run_id)
    return Invoice.objects.filter(year=preparation.year)


def unfinished() -> PesPreparation | None:
    return (
        PesPreparation.objects.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
        .order_by("pk")
        .first()
    )


@transaction.atomic
def preparation_request(
    *, run: AllocationRun | None = None, year: int | None = None, user=None
) -> tuple[PesPreparation, bool]:
    """Queues the preparation of the PES file of `run`'s titres (or of `year`'s) not yet in a
    file: (the preparation, True); or (the one already queued or running, False). Raises
    PesError (French) when there is nothing to put in a file."""
    invoices = (
        Invoice.objects.filter(run=run) if run is not None else Invoice.objects.filter(year=year)
    )
    if run is not None and run.status not in RUN_STATUSES_WITH_TITRES:
        raise PesError(_("Seuls les titres d'un calcul validé vont dans un fichier PES."))
    check_identity(operator_identity())
    fail_abandoned(PesPreparation)  # a preparation its worker left does not block the next
    current = unfinished()
    if current is not None:
        return current, False
    if not transmissions.has_pending(invoices):
        raise transmissions.nothing_left()
    preparation = PesPreparation.objects.create(run=run, year=year, created_by=user)
    job_enqueue(preparation)
    return preparation, True


def preparation_run(preparation_id: int) -> dict | None:
    """The worker's side: prepares and records the file of a queued preparation."""
    return job_run(PesPreparation, preparation_id, _prepare)


def _prepare(preparation: PesPreparation, progress: Progress) -> dict:
    def record(transmission: PesTransmission) -> None:
        # in the transaction that records the file: the job is done when the file exists
        now = timezone.now()
        PesPreparation.objects.filter(pk=preparation.pk).update(
            transmission=transmission,
            status=JobStatus.SUCCEEDED,
            progress="",
            finished_at=now,
            updated_at=now,
        )

    try:
        transmission = transmissions.pes_transmit(
            invoices=preparation_invoices(preparation),
            user=preparation.created_by,
            progress=progress,
            on_record=record,
        )
    except PesError as error:
        raise JobFailure(" ".join(error.messages)) from error
    return {"transmission": transmission.pk}
