"""The import runs as a task of the job queue and records its progress on the job."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.core.jobs import JobStatus, Progress
from mutualis.imports import services
from mutualis.imports.importers.members import MembersImporter
from mutualis.imports.tasks import run_import_job
from mutualis.imports.tests.factories import ImportJobFactory
from mutualis.imports.tests.helpers import csv_bytes
from mutualis.members.models import Member


@pytest.fixture
def job(territory):
    content = csv_bytes(["code"], [["33063"], ["33281"], ["33318"], ["243300316"], ["33"]])
    return ImportJobFactory(content=content)


def test_task_runs_the_job_and_stores_the_report(job):
    result = run_import_job.enqueue(job.pk)

    job.refresh_from_db()
    assert result.return_value == {
        "error_count": 0,
        "rows": 5,
        "created": 5,
        "updated": 0,
        "unchanged": 0,
    }
    assert (job.status, job.progress, job.progress_total, job.progress_done) == (
        JobStatus.SUCCEEDED,
        "",
        5,
        5,
    )
    assert job.started_at <= job.finished_at
    assert job.import_report.created == 5


def test_progress_is_written_while_validating(job, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    seen = []
    real = Progress.__call__

    def spy(self, step=None, done=None, total=None):
        seen.append((str(step) if step else None, done))
        real(self, step, done, total)

    monkeypatch.setattr(Progress, "__call__", spy)

    services.import_job_run(job_id=job.pk)

    assert ("Vérification des lignes", 2) in seen
    assert ("Vérification des lignes", 4) in seen
    assert ("Enregistrement", 0) in seen


def test_submission_enqueues_only_once_committed(
    operator, territory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = services.import_job_submit(
            kind="members",
            uploaded_file=SimpleUploadedFile("c.csv", csv_bytes(["code"], [["33063"]])),
            user=operator,
        )
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED
    for callback in callbacks:
        callback()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert Member.objects.count() == 1


def test_a_finished_job_is_not_run_again(job):
    services.import_job_run(job_id=job.pk)
    assert services.import_job_run(job_id=job.pk) is None
    assert Member.objects.count() == 5


def test_an_unexpected_error_fails_the_job_and_writes_nothing(job, monkeypatch):
    def broken(self, rows):
        raise RuntimeError("bug")

    monkeypatch.setattr(MembersImporter, "prepare", broken)

    result = services.import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Erreur inattendue" in job.error
    assert result == {"error": job.error}
    assert Member.objects.count() == 0
