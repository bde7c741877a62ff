"""Usage files: a row-level report, all or nothing, and a re-import replaces, never adds."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from mutualis.core.jobs import JobStatus
from mutualis.imports.models import ImportJob
from mutualis.imports.services import import_file, import_job_submit
from mutualis.metering.models import UsageRecord
from mutualis.metering.tests.conftest import csv_file


def import_usage(*, file_name, content):
    return import_file(kind="usage", file_name=file_name, content=content)


def test_every_bad_row_is_reported_and_nothing_is_written(usage_world):
    siren = usage_world["member"].siren
    content = csv_file(
        [
            [siren, "sauvegarde", "2026-04", "120", "gb"],
            ["999999999", "sauvegarde", "2026-04", "1", ""],
            [siren, "inconnu", "2026-04", "1", ""],
            [siren, "sauvegarde", "2026-05", "12", "pupil"],
            [siren, "sauvegarde", "2026-06", "-3", ""],
            [siren, "sauvegarde", "2026-01", "5", ""],
            [usage_world["other"].siren, "sauvegarde", "2026-04", "5", ""],
        ]
    )
    report = import_usage(file_name="c.csv", content=content)
    problems = {(e.line, e.field) for e in report.errors}
    assert problems == {
        (3, "membre"),
        (4, "service"),
        (5, "unite"),
        (6, "quantite"),
        (7, "periode"),  # before the subscription
        (8, "periode"),  # another member without subscription
    }
    assert UsageRecord.objects.count() == 0


def test_a_reimport_replaces_and_the_report_says_so(usage_world):
    siren = usage_world["member"].siren
    first = csv_file(
        [[siren, "sauvegarde", "2026-04", "120", ""], [siren, "sauvegarde", "2026-T3", "300", ""]]
    )
    report = import_usage(file_name="c.csv", content=first)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    again = csv_file(
        [[siren, "sauvegarde", "2026-04", "130,5", ""], [siren, "sauvegarde", "2026-T3", "300", ""]]
    )
    report = import_usage(file_name="c.csv", content=again)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert UsageRecord.objects.count() == 2
    assert UsageRecord.objects.get(period="month").quantity == 130.5


def test_an_xlsx_file_with_a_date_cell(usage_world):
    import datetime as dt

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Membre", "Service", "Période", "Quantité"])
    sheet.append([usage_world["member"].siren, "sauvegarde", dt.datetime(2026, 7, 1), 42])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_usage(file_name="c.xlsx", content=buffer.getvalue())
    assert report.ok, report.errors
    assert UsageRecord.objects.get().month == 7


def test_the_job_runs_on_the_queue_and_shows_its_report(
    client, accountant, usage_world, django_capture_on_commit_callbacks
):
    client.force_login(accountant)
    content = csv_file([[usage_world["member"].siren, "sauvegarde", "2026-04", "1", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/operateur/imports/importer/",
            {"kind": "usage", "file": SimpleUploadedFile("c.csv", content)},
        )
    job = ImportJob.objects.get()
    assert response["Location"] == f"/operateur/imports/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED
    page = client.get(response["Location"]).content.decode()
    assert "1 ligne lue" in page
    assert "Retour aux consommations" in page


def test_submission_waits_for_the_commit(accountant, usage_world):
    job = import_job_submit(
        kind="usage", uploaded_file=SimpleUploadedFile("c.csv", b"x"), user=accountant
    )
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
