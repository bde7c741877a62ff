"""Background work of the imports, run by the job queue's worker."""

from django_tasks import task

from mutualis.imports import services


@task()
def run_import_job(job_id: int) -> dict | None:
    """Imports the file of an ImportJob; the job row records progress and the report."""
    return services.import_job_run(job_id=job_id)
