"""Reads of the imports: recent jobs, one job (never with its stored file)."""

from mutualis.imports.importers import IMPORTERS
from mutualis.imports.models import ImportJob, ImportKind


def recent_jobs(*, limit: int = 20):
    return ImportJob.objects.without_content().select_related("created_by")[:limit]


def job_detail(*, pk: int) -> ImportJob:
    return ImportJob.objects.without_content().select_related("created_by").get(pk=pk)


def file_formats() -> list[dict]:
    """The columns of each kind of file, for the page that documents them."""
    return [
        {
            "kind": kind,
            "label": label,
            "columns": IMPORTERS[kind].columns,
            "header_line": ";".join(IMPORTERS[kind].column_names()),
        }
        for kind, label in ImportKind.choices
    ]
