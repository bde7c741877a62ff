"""Reads of the imports: recent jobs, one job (never with its stored file)."""

from mutualis.core.jobs import fail_abandoned
from mutualis.core.roles import has_capability
from mutualis.imports.importers import IMPORTERS
from mutualis.imports.models import ImportJob, ImportKind

# Imported from the page of their campaign, not from the imports page.
IMPORTED_ELSEWHERE = {ImportKind.NEEDS}


def recent_jobs(*, kind: str = "", limit: int = 20):
    fail_abandoned(ImportJob)
    jobs = ImportJob.objects.without_content().select_related("created_by")
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs[:limit]


def job_detail(*, pk: int) -> ImportJob:
    fail_abandoned(ImportJob)
    return ImportJob.objects.without_content().select_related("created_by").get(pk=pk)


def may_import(user, kind: str) -> bool:
    return kind in IMPORTERS and has_capability(user, IMPORTERS[kind].capability)


def importable_kinds(user) -> list[tuple[str, str]]:
    """The kinds the imports page offers this user."""
    return [
        (kind, label)
        for kind, label in ImportKind.choices
        if kind not in IMPORTED_ELSEWHERE and may_import(user, kind)
    ]


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
