"""Background tasks of the data platform (django-tasks, run by `manage.py db_worker`)."""

from django_tasks import task

from mutualis.iot.storage import storage_maintain


@task()
def storage_maintain_task() -> dict[str, list[str]]:
    """The storage job as a queued task (the daily command does the same)."""
    report = storage_maintain()
    return {"created": report.created, "dropped": report.dropped}
