"""Background work of the surveys, run by the job queue's worker."""

from django_tasks import task

from mutualis.surveys import mailing


@task()
def send_mailing(mailing_id: int) -> dict | None:
    """Sends the e-mails of a recorded invitation or reminder."""
    return mailing.mailing_deliver(mailing_id=mailing_id)
