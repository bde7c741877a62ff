"""Every background job ends « Terminé » or « Échoué », whatever happens (mutualis.core.jobs),
shown on imports, the jobs with files from outside."""

import datetime as dt
import io
import subprocess
import sys
import zipfile

import pytest
from django.utils import timezone

from mutualis.core.jobs import JobFailure, JobStatus, fail_abandoned, job_run, worker_name
from mutualis.imports import services
from mutualis.imports.models import ImportJob
from mutualis.imports.tests.factories import ImportJobFactory
from mutualis.imports.tests.helpers import xlsx_bytes
from mutualis.metering.models import UsageRecord
from mutualis.metering.tests.conftest import csv_file


def test_a_refusal_fails_the_job_with_its_french_message(db):
    job = ImportJobFactory()

    def refuse(job, progress):
        raise JobFailure("Aucun tarif adopté pour 2026.")

    assert job_run(ImportJob, job.pk, refuse) == {"error": "Aucun tarif adopté pour 2026."}
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "Aucun tarif adopté pour 2026.")
    assert job.finished_at is not None


def test_a_bug_fails_the_job_and_the_traceback_goes_to_the_log(db, caplog):
    job = ImportJobFactory()

    def crash(job, progress):
        progress("Lecture", 1, 10)
        return 1 / 0

    job_run(ImportJob, job.pk, crash)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Erreur inattendue" in job.error
    assert f"n° {job.pk}" in job.error
    assert "ZeroDivisionError" in caplog.text


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_job_whose_worker_died_is_marked_failed(db):
    host = worker_name().rpartition(":")[0]
    dead = ImportJobFactory(
        status=JobStatus.RUNNING, worker=f"{host}:{_dead_pid()}", heartbeat_at=timezone.now()
    )
    alive = ImportJobFactory(
        status=JobStatus.RUNNING, worker=worker_name(), heartbeat_at=timezone.now()
    )
    elsewhere_silent = ImportJobFactory(
        status=JobStatus.RUNNING,
        worker="autre-machine:12",
        heartbeat_at=timezone.now() - dt.timedelta(hours=2),
    )
    elsewhere_alive = ImportJobFactory(
        status=JobStatus.RUNNING, worker="autre-machine:13", heartbeat_at=timezone.now()
    )

    assert fail_abandoned(ImportJob) == 2

    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == statuses[elsewhere_silent.pk] == JobStatus.FAILED
    assert statuses[alive.pk] == statuses[elsewhere_alive.pk] == JobStatus.RUNNING
    assert "s'est interrompu" in ImportJob.objects.get(pk=dead.pk).error


def test_a_job_never_queued_is_failed_after_a_while(db):
    job = ImportJobFactory(task_id="")
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    fresh = ImportJobFactory(task_id="")
    assert fail_abandoned(ImportJob) == 1
    assert ImportJob.objects.get(pk=fresh.pk).status == JobStatus.QUEUED


def test_the_job_page_shows_the_abandoned_job_as_failed(client, operator):
    job = ImportJobFactory(status=JobStatus.RUNNING, worker="ailleurs:1", heartbeat_at=None)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(operator)
    page = client.get(f"/operateur/imports/{job.pk}/").content.decode()
    assert "Échoué" in page
    assert "hx-trigger" not in page


def _usage_job(content: bytes, name: str = "c.csv") -> ImportJob:
    job = ImportJobFactory(kind="usage", file_name=name, content=content)
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


@pytest.mark.parametrize(
    ("quantity", "period", "field", "words"),
    [
        ("99999999999999999999", "2026-04", "quantite", "plus grande valeur possible"),
        ("1e999999", "2026-04", "quantite", "n'est pas un nombre"),
        ("1.234,5", "2026-04", "quantite", "mêle virgule et point"),
        ("12", "0000-01", "periode", "entre 1900 et 2100"),
        ("12", "2026-13", "periode", "n'est pas une période"),
    ],
)
def test_values_that_once_stuck_a_usage_import_fail_it_with_a_reason(
    usage_world, quantity, period, field, words
):
    siren = usage_world["member"].siren
    job = _usage_job(csv_file([[siren, "sauvegarde", period, quantity, ""]]))
    assert job.status == JobStatus.FAILED
    assert "le fichier contient 1 erreur" in job.error
    [error] = job.import_report.errors
    assert (error.line, error.field) == (2, field)
    assert words in error.message
    assert not UsageRecord.objects.exists()


def _with_doctype(workbook: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                doctype = b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
                declaration, found, rest = data.partition(b"?>")
                data = declaration + found + doctype + rest if found else doctype + data
            target.writestr(item, data)
    return out.getvalue()


def test_an_xlsx_with_a_dtd_is_refused_and_nothing_hangs(usage_world):
    workbook = xlsx_bytes(
        ["membre", "service", "periode", "quantite"],
        [[usage_world["member"].siren, "sauvegarde", "2026-04", 1]],
    )
    job = _usage_job(_with_doctype(workbook), "c.xlsx")
    assert job.status == JobStatus.FAILED
    assert "DTD" in job.import_report.errors[0].message
    assert not UsageRecord.objects.exists()


def test_an_xlsx_that_expands_beyond_the_limit_is_refused(usage_world, settings):
    settings.IMPORT_MAX_XLSX_EXPANDED_MB = 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"<x/>" + b" " * (2 * 1024 * 1024))
    job = _usage_job(out.getvalue(), "c.xlsx")
    assert job.status == JobStatus.FAILED
    assert "décompressé dépasse 1 Mo" in job.import_report.errors[0].message


def test_files_beyond_the_row_limit_are_refused(usage_world, settings):
    settings.IMPORT_MAX_ROWS = 3
    siren = usage_world["member"].siren
    rows = [[siren, "sauvegarde", f"2026-{m:02d}", "1", ""] for m in range(3, 8)]
    job = _usage_job(csv_file(rows))
    assert job.status == JobStatus.FAILED
    assert "Plus de 3 lignes" in job.import_report.errors[0].message


def test_an_unusual_reading_is_imported_and_listed(usage_world):
    siren = usage_world["member"].siren
    _usage_job(csv_file([[siren, "sauvegarde", "2026-04", "12,5", ""]]))
    job = _usage_job(
        csv_file(
            [
                [siren, "sauvegarde", "2026-05", "125", ""],  # « 12,5 » without its comma
                [siren, "sauvegarde", "2026-06", "13", ""],
            ]
        )
    )
    assert job.status == JobStatus.SUCCEEDED
    [warning] = job.import_report.warnings
    assert (warning.line, warning.field) == (2, "quantite")
    assert warning.message.startswith("125 : dix fois ou plus")
    assert "(12,5)" in warning.message
    assert UsageRecord.objects.count() == 3
