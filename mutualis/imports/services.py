"""Writes of the imports: submitting a file, and running it (on the job queue).

A run reads the whole file, validates every row and collects every error first. Only a file
without any error is applied, in one transaction: if a row is still refused while being
written, everything is rolled back and the report names that row.
"""

import logging
from collections.abc import Callable
from functools import partial
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core.tabular import ImportReport, RowError, Table, TabularError, read_table
from mutualis.imports.importers import Importer, get_importer
from mutualis.imports.models import ImportJob, JobPhase, JobStatus

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 200  # rows between two progress writes


class _RollBack(Exception):
    """Raised inside the apply transaction when a row was refused."""


def import_job_submit(*, kind: str, uploaded_file, user) -> ImportJob:
    """Stores the file and queues its import once the job row is committed."""
    get_importer(kind)  # an unknown kind is a programming error
    job = ImportJob.objects.create(
        kind=kind,
        file_name=PurePath(uploaded_file.name).name[:255],
        content=uploaded_file.read(),
        created_by=user,
    )
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from mutualis.imports.tasks import run_import_job

    result = run_import_job.enqueue(job_id)
    ImportJob.objects.filter(pk=job_id, task_id="").update(task_id=result.id)


def _set_progress(job: ImportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def import_job_run(*, job_id: int) -> dict | None:
    """Runs a queued job; a job already started or finished is left alone."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, phase=JobPhase.READING, started_at=now, updated_at=now
    )
    if not claimed:
        logger.warning("import job %s is not queued: not run", job_id)
        return None
    job = ImportJob.objects.get(pk=job_id)
    try:
        report = _run(job)
    except Exception:
        logger.exception("import job %s failed unexpectedly", job_id)
        report = ImportReport()
        report.add_error(
            RowError(
                job.file_name,
                None,
                "",
                _(
                    "Erreur inattendue pendant l'import : rien n'a été enregistré. "
                    "Signalez-la à l'administrateur de Mutualis."
                ),
            )
        )
        _finish(job, report)
        raise
    _finish(job, report)
    summary = report.to_dict()
    summary.pop("errors")
    return summary


def _finish(job: ImportJob, report: ImportReport) -> None:
    now = timezone.now()
    _set_progress(
        job,
        status=JobStatus.SUCCEEDED if report.ok else JobStatus.FAILED,
        phase="",
        report=report.to_dict(),
        finished_at=now,
        updated_at=now,
        rows_done=job.rows_total if report.ok else job.rows_done,
    )


def _run(job: ImportJob) -> ImportReport:
    def progress(phase: str, done: int, total: int) -> None:
        _set_progress(job, phase=phase, rows_done=done, rows_total=total)

    return import_file(
        kind=job.kind, file_name=job.file_name, content=bytes(job.content), progress=progress
    )


def import_file(
    *,
    kind: str,
    file_name: str,
    content: bytes,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Reads, validates, then applies a file; `progress(phase, done, total)` follows it."""
    report = ImportReport()
    importer = get_importer(kind)(file_name=file_name)
    try:
        table = read_table(file_name, content)
    except TabularError as exc:
        report.add_error(exc.error)
        return report
    total = report.rows = len(table.rows)
    report.extend(table.errors)
    if progress is not None:
        progress(JobPhase.VALIDATING, 0, total)
    cleaned = validate_table(
        importer,
        table,
        progress=(lambda done: progress(JobPhase.VALIDATING, done, total)) if progress else None,
    )
    report.extend(importer.errors)
    if report.ok:
        if progress is not None:
            progress(JobPhase.APPLYING, total, total)
        apply_rows(importer, cleaned, report)
    report.errors.sort(key=lambda e: e.line or 0)
    return report


def check_columns(importer: Importer, table: Table) -> bool:
    """Reports missing and unknown columns; False when rows cannot be read at all."""
    expected = importer.column_names()
    missing = [c.name for c in importer.columns if c.required and c.name not in table.headers]
    for name in missing:
        importer.error(table.header_line, name, _("Colonne obligatoire absente."))
    for name in table.headers:
        if name not in expected:
            importer.error(
                table.header_line,
                name,
                _("Colonne inconnue. Colonnes attendues : %(columns)s.")
                % {"columns": ", ".join(expected)},
            )
    if not table.rows and not table.errors:
        importer.error(None, "", _("Le fichier ne contient aucune ligne à importer."))
    return not missing


def validate_table(importer: Importer, table: Table, progress=None) -> list:
    """Cleans every row, collecting every error in `importer.errors`."""
    if not check_columns(importer, table):
        return []
    importer.present_columns = set(table.headers)
    importer.prepare(table.rows)
    cleaned_rows = []
    seen: dict = {}
    for done, row in enumerate(table.rows, start=1):
        cleaned = importer.clean(row)
        if cleaned is not None:
            key, columns = importer.key(cleaned)
            if key in seen:
                importer.error(
                    row.line,
                    columns,
                    _("Ligne en double : la ligne %(line)s a déjà la même clé (%(columns)s).")
                    % {"line": seen[key], "columns": columns},
                )
            else:
                seen[key] = row.line
                cleaned_rows.append(cleaned)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    importer.check(cleaned_rows)
    if progress is not None:
        progress(len(table.rows))
    return cleaned_rows


def apply_rows(importer: Importer, cleaned_rows: list, report: ImportReport) -> None:
    """All or nothing: each row in a savepoint, every refusal reported, then a rollback."""
    try:
        with transaction.atomic():
            for cleaned in sorted(cleaned_rows, key=importer.apply_order):
                try:
                    with transaction.atomic():
                        outcome = importer.apply(cleaned)
                except ValidationError as exc:
                    report.extend(importer.service_errors(cleaned.line, exc))
                except DatabaseError as exc:
                    logger.warning("import row %s refused by the database: %s", cleaned.line, exc)
                    report.add_error(
                        RowError(
                            importer.file_name,
                            cleaned.line,
                            "",
                            _("Enregistrement refusé par la base de données : %(error)s")
                            % {"error": exc},
                        )
                    )
                else:
                    report.count(outcome)
            if not report.ok:
                raise _RollBack
    except _RollBack:
        report.created = report.updated = report.unchanged = 0
