"""Background work of the alerts, run by the job queue's worker."""

from django_tasks import task

from mutualis.alerts.detection import run
from mutualis.alerts.models import DetectionRun
from mutualis.core.jobs import job_run


def _work(job: DetectionRun, progress) -> dict:
    progress(step="Lecture des compteurs et détection")
    outcome = run(until=job.until, days=job.days, progress=progress)
    DetectionRun.objects.filter(pk=job.pk).update(
        sensors_read=outcome.sensors,
        alerts_opened=outcome.opened,
        alerts_updated=outcome.updated,
    )
    return {"opened": outcome.opened, "updated": outcome.updated}


@task()
def run_detection(job_id: int) -> dict | None:
    """Runs the detection rules over the stored readings and opens or updates alerts."""
    return job_run(DetectionRun, job_id, _work)
