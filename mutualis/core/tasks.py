"""Notifications by email, sent by the job worker so that no page waits for the mail server."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task


@task()
def send_notification(subject: str, body: str, recipients: list[str]) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def notify_on_commit(subject: str, body: str, recipients: list[str]) -> None:
    """Queues the email once the current transaction has committed (never for a rollback)."""
    recipients = [address for address in recipients if address]
    if recipients:
        transaction.on_commit(lambda: send_notification.enqueue(subject, body, recipients))
