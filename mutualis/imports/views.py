"""Operator pages of imports and exports: upload, follow a job, download."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mutualis.core.access import operator_required
from mutualis.core.htmx import wants_fragment
from mutualis.core.roles import Capability, has_capability
from mutualis.core.tabular import tabular_response
from mutualis.imports import selectors, services
from mutualis.imports.exports import EXPORTS, FORMATS
from mutualis.imports.forms import ImportForm
from mutualis.imports.models import ImportJob


def _export_links() -> list[dict]:
    return [
        {
            "label": export.label,
            "links": [
                (fmt.upper(), reverse("imports:export", kwargs={"kind": kind, "fmt": fmt}))
                for fmt in FORMATS
            ],
        }
        for kind, export in EXPORTS.items()
    ]


def _job_list_page(request, form: ImportForm):
    return render(
        request,
        "imports/job_list.html",
        {
            "form": form,
            "can_import": has_capability(request.user, Capability.MANAGE_MEMBERS),
            "jobs": selectors.recent_jobs(),
            "exports": _export_links(),
            "file_formats": selectors.file_formats(),
        },
    )


@operator_required()
@require_GET
def job_list(request):
    return _job_list_page(request, ImportForm())


@operator_required(Capability.MANAGE_MEMBERS)
@require_POST
def job_create(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _job_list_page(request, form)
    job = services.import_job_submit(
        kind=form.cleaned_data["kind"], uploaded_file=form.cleaned_data["file"], user=request.user
    )
    messages.success(
        request,
        _("Le fichier %(name)s a été déposé : son import est lancé.") % {"name": job.file_name},
    )
    return redirect("imports:job_detail", pk=job.pk)


@operator_required(model=ImportJob)
@require_GET
def job_detail(request, pk):
    try:
        job = selectors.job_detail(pk=pk)
    except ImportJob.DoesNotExist as exc:
        raise Http404 from exc
    context = {"job": job, "report": job.import_report}
    if wants_fragment(request):
        return render(request, "imports/_job_status.html", context)
    return render(request, "imports/job_detail.html", context)


@operator_required()
@require_GET
def export(request, kind: str, fmt: str):
    if kind not in EXPORTS or fmt not in FORMATS:
        raise Http404
    data = EXPORTS[kind]
    return tabular_response(
        file_stem=data.file_name_stem(), fmt=fmt, headers=data.headers, rows=data.build()
    )
