"""Background work of billing, run by the job queue's worker."""

from django_tasks import task

from mutualis.billing.services import runs


@task()
def compute_run(run_id: int) -> dict | None:
    """Computes every charge of a queued allocation run."""
    return runs.run_compute(run_id=run_id)
