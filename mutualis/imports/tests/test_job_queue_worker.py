"""With the real database queue, an upload only queues the job; the worker runs it."""

import pytest
from django.core.management import call_command

from mutualis.core.jobs import JobStatus
from mutualis.imports.models import ImportJob
from mutualis.imports.tests.helpers import csv_bytes
from mutualis.members.models import Member

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_import(client, territory, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mutualis.core.tests.factories import UserFactory

    settings.TASKS = DATABASE_QUEUE
    client.force_login(UserFactory(manager=True))
    upload = SimpleUploadedFile("collectivites.csv", csv_bytes(["code"], [["33063"]]))
    client.post("/operateur/imports/importer/", {"kind": "members", "file": upload})

    job = ImportJob.objects.get()
    assert job.status == JobStatus.QUEUED  # the request did not do the work
    assert not Member.objects.exists()

    call_command("db_worker", batch=True, queue_name="*", no_startup_delay=True, verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert Member.objects.get().insee_code == "33063"
