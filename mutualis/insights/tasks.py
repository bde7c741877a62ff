"""Background work of the élus' view, run by the job queue's worker."""

from django_tasks import task

from mutualis.insights import services


@task()
def build_reports(batch_id: int) -> dict | None:
    """Builds every member's one-page report of a year into one ZIP."""
    return services.report_batch_build(batch_id=batch_id)
