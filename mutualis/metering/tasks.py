"""Background work of metering, run by the job queue's worker."""

from django_tasks import task

from mutualis.metering import services


@task()
def run_usage_import(job_id: int) -> dict | None:
    """Imports a usage file; the job row records the report."""
    return services.usage_import_run(job_id=job_id)
