"""Writes of the imports: submitting a file, and running it (on the job queue).

A run reads the whole file, validates every row and collects every error first. Only a file
without any error is applied, in one transaction: if a row is still refused while being
written, everything is rolled back and the report names that row.
"""

from collections.abc import Callable
from pathlib import PurePath

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mutualis.core.jobs import JobFailure, Progress, job_enqueue, job_run
from mutualis.core.signals import bulk_written
from mutualis.core.tabular import ImportReport, Table, TabularError, read_table
from mutualis.imports.importers import Importer, get_importer
from mutualis.imports.models import ImportJob

PROGRESS_EVERY = 200  # rows between two progress writes
READING = gettext_lazy("Lecture du fichier")
VALIDATING = gettext_lazy("Vérification des lignes")
APPLYING = gettext_lazy("Enregistrement")


def import_job_submit(*, kind: str, uploaded_file, user, options: dict | None = None) -> ImportJob:
    """Stores the file and queues its import once the job row is committed. Nothing of the
    file is read here: parsing happens on the job queue, never in a web request."""
    get_importer(kind)  # an unknown kind is a programming error
    job = ImportJob.objects.create(
        kind=kind,
        file_name=PurePath(uploaded_file.name).name[:255],
        content=uploaded_file.read(),
        options=options or {},
        created_by=user,
    )
    job_enqueue(job)
    return job


def import_job_run(*, job_id: int) -> dict | None:
    """Runs a queued import job; a job already started or finished is left alone."""
    return job_run(ImportJob, job_id, _run)


def _run(job: ImportJob, progress: Progress) -> dict:
    report = import_file(
        kind=job.kind,
        file_name=job.file_name,
        content=bytes(job.content),
        user=job.created_by,
        options=job.options,
        progress=progress,
    )
    ImportJob.objects.filter(pk=job.pk).update(report=report.to_dict())
    if not report.ok:
        raise JobFailure(
            ngettext(
                "Rien n'a été enregistré : le fichier contient %(n)s erreur.",
                "Rien n'a été enregistré : le fichier contient %(n)s erreurs.",
                report.error_count,
            )
            % {"n": report.error_count}
        )
    progress(done=report.rows, total=report.rows)
    summary = report.to_dict()
    summary.pop("errors")
    summary.pop("warnings")
    bulk_written.send(  # the audit trail records the import, not each row written in bulk
        sender=ImportJob,
        parent=job,
        action=_("Import : %(kind)s") % {"kind": job.get_kind_display()},
        count=report.rows,
        detail=summary,
        user=job.created_by,
    )
    return summary


def import_file(
    *,
    kind: str,
    file_name: str,
    content: bytes,
    user=None,
    options: dict | None = None,
    progress: Callable[..., None] | None = None,
) -> ImportReport:
    """Reads, validates, then applies a file; `progress(step, done, total)` follows it."""
    report = ImportReport()
    if progress is not None:
        progress(READING)
    try:
        importer = get_importer(kind)(file_name=file_name, user=user, options=options or {})
        table = read_table(file_name, content)
    except TabularError as exc:
        report.add_error(exc.error)
        return report
    total = report.rows = len(table.rows)
    report.extend(table.errors)
    if progress is not None:
        progress(VALIDATING, 0, total)
    cleaned = validate_table(
        importer,
        table,
        progress=(lambda done: progress(VALIDATING, done, total)) if progress else None,
    )
    report.extend(importer.errors)
    if report.ok:
        if progress is not None:
            progress(APPLYING, 0, total)
        importer.apply_all(cleaned, report)
    report.warnings.extend(importer.warnings)
    report.errors.sort(key=lambda e: e.line or 0)
    report.warnings.sort(key=lambda e: e.line or 0)
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
