"""Operator pages of imports and exports: upload, follow a job, download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mutualis.core.access import operator_required
from mutualis.core.htmx import wants_fragment
from mutualis.core.roles import Capability
from mutualis.core.tabular import tabular_response
from mutualis.imports import selectors, services
from mutualis.imports.exports import EXPORTS, FORMATS
from mutualis.imports.forms import ImportForm, UploadForm
from mutualis.imports.models import ImportJob, ImportKind
from mutualis.purchasing.models import Campaign


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


def _job_list_page(request, form: ImportForm, *, kind: str = "", status: int = 200):
    return render(
        request,
        "imports/job_list.html",
        {
            "form": form,
            "can_import": bool(form.fields["kind"].choices),
            "jobs": selectors.recent_jobs(kind=kind),
            "kind_label": ImportKind(kind).label if kind else "",
            "exports": _export_links(),
            "file_formats": selectors.file_formats(),
        },
        status=status,
    )


@operator_required()
@require_GET
def job_list(request):
    kinds = selectors.importable_kinds(request.user)
    kind = request.GET.get("type", "")
    kind = kind if kind in ImportKind.values else ""
    form = ImportForm(kinds=kinds, initial={"kind": kind} if kind else None)
    return _job_list_page(request, form, kind=kind)


# Every import capability is held by roles that manage members; the form offers each user
# only the kinds they may import (usage: billing).
@operator_required(write=Capability.MANAGE_MEMBERS)
@require_POST
def job_create(request):
    kinds = selectors.importable_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES, kinds=kinds)
    if not form.is_valid():
        return _job_list_page(request, form, status=400)
    job = services.import_job_submit(
        kind=form.cleaned_data["kind"], uploaded_file=form.cleaned_data["file"], user=request.user
    )
    messages.success(
        request,
        _("Le fichier %(name)s a été déposé : son import est lancé.") % {"name": job.file_name},
    )
    return redirect("imports:job_detail", pk=job.pk)


@operator_required(model=Campaign, write=Capability.MANAGE_PURCHASING)
@require_POST
def needs_create(request, pk):
    """A campaign's needs file, sent from the campaign's needs page."""
    if not selectors.may_import(request.user, ImportKind.NEEDS):
        raise PermissionDenied
    campaign = get_object_or_404(Campaign, pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("purchasing:campaign_needs", pk=campaign.pk)
    job = services.import_job_submit(
        kind=ImportKind.NEEDS,
        uploaded_file=form.cleaned_data["file"],
        user=request.user,
        options={"campaign": campaign.pk},
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
    context = {"job": job, "report": job.import_report, "back": _back_link(job)}
    if wants_fragment(request):
        return render(request, "imports/_job_status.html", context)
    return render(request, "imports/job_detail.html", context)


def _back_link(job: ImportJob) -> tuple[str, str]:
    """Where the person came from: the campaign of a needs file, the usage, or the imports."""
    if job.kind == ImportKind.NEEDS and job.options.get("campaign"):
        url = reverse("purchasing:campaign_needs", kwargs={"pk": job.options["campaign"]})
        return url, _("Retour aux besoins de la campagne")
    if job.kind == ImportKind.USAGE:
        return reverse("metering:usage_list"), _("Retour aux consommations")
    return reverse("imports:job_list"), _("Retour aux imports et exports")


@operator_required()
@require_GET
def export(request, kind: str, fmt: str):
    if kind not in EXPORTS or fmt not in FORMATS:
        raise Http404
    data = EXPORTS[kind]
    return tabular_response(
        file_stem=data.file_name_stem(), fmt=fmt, headers=data.headers, rows=data.build()
    )
