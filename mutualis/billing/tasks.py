"""Background work of billing, run by the job queue's worker."""

from django_tasks import task

from mutualis.billing.services import preparations, runs


@task()
def compute_run(run_id: int) -> dict | None:
    """Computes every charge of a queued allocation run."""
    return runs.run_compute(run_id=run_id)


@task()
def prepare_pes(preparation_id: int) -> dict | None:
    """Prepares and records the PES file of a queued preparation."""
    return preparations.preparation_run(preparation_id)
