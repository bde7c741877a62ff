"""Background work of the support app, run by the job queue's worker."""

from django_tasks import task

from mutualis.core.jobs import job_run
from mutualis.support.models import SupportSync
from mutualis.support.sync import run


@task()
def run_sync(job_id: int) -> dict | None:
    """Reads the tickets modified in GLPI since the last synchronisation."""
    return job_run(SupportSync, job_id, run)
