"""Background work of governance, run by the job queue's worker."""

from django_tasks import task

from mutualis.governance import convocations


@task()
def send_convocation(convocation_id: int) -> dict | None:
    """Sends the e-mails of a recorded convocation."""
    return convocations.convocation_deliver(convocation_id=convocation_id)
