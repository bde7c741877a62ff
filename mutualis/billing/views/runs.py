from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from mutualis.billing import selectors
from mutualis.billing.forms import IssueForm, RunForm
from mutualis.billing.models import AllocationRun, RunStatus
from mutualis.billing.services import corrections, exports, invoices, runs
from mutualis.billing.views.invoices import pes_response
from mutualis.core.access import operator_required
from mutualis.core.htmx import wants_fragment
from mutualis.core.roles import Capability, has_capability
from mutualis.core.tabular import tabular_response

# A run with lines to show: computed, validated, or replaced by its correction.
FINISHED_OK = (RunStatus.COMPUTED, RunStatus.VALIDATED, RunStatus.SUPERSEDED)


def _run_or_404(pk: int) -> AllocationRun:
    try:
        return selectors.run_detail(pk=pk)
    except AllocationRun.DoesNotExist as error:
        raise Http404 from error


def _run_list_page(request, form, status=200):
    page = Paginator(selectors.run_list().select_related("created_by"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "billing/run_list.html",
        {
            "page": page,
            "form": form,
            "can_manage": has_capability(request.user, Capability.MANAGE_BILLING),
        },
        status=status,
    )


@operator_required()
@require_GET
def run_list(request):
    return _run_list_page(request, RunForm())


@operator_required(Capability.MANAGE_BILLING)
@require_POST
def run_create(request):
    form = RunForm(request.POST)
    if not form.is_valid():
        return _run_list_page(request, form, status=400)
    with transaction.atomic():
        run = runs.run_request(year=form.cleaned_data["year"], created_by=request.user)
    messages.success(request, _("Le calcul de %(y)s est lancé.") % {"y": run.year})
    return redirect("billing:run_detail", pk=run.pk)


@operator_required(model=AllocationRun)
@require_GET
def run_detail(request, pk):
    run = _run_or_404(pk)
    balance = list(selectors.run_balance(run)) if run.is_finished else []
    finished_ok = run.status in FINISHED_OK
    context = {
        "run": run,
        "balance": balance,
        "can_manage": has_capability(request.user, Capability.MANAGE_BILLING),
        "issue_form": IssueForm(),
        "invoice_count": run.invoices.count(),
        "without_tariff": selectors.run_services_without_tariff(run) if finished_ok else [],
        "correction_base": corrections.correction_base(run) if run.is_finished else None,
        "superseded_by": (
            AllocationRun.objects.filter(supersedes=run).only("pk").first()
            if run.status == RunStatus.SUPERSEDED
            else None
        ),
        "totals": {
            "charged": sum(s.charged_cents for s in balance),
            "unallocated": sum(s.unallocated_cents for s in balance),
        },
    }
    if wants_fragment(request):
        return render(request, "billing/_run_status.html", context)
    return render(request, "billing/run_detail.html", context)


@operator_required(model=AllocationRun)
@require_GET
def run_members(request, pk):
    run = _run_or_404(pk)
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.run_member_totals(run, search=search), 50).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            **row,
            "per_inhabitant": selectors.per_inhabitant_cents(
                row["total_cents"], row["member__population"]
            ),
        }
        for row in page
    ]
    return render(
        request,
        "billing/run_members.html",
        {
            "run": run,
            "page": page,
            "rows": rows,
            "q": search,
            "query": urlencode({"q": search}) if search else "",
        },
    )


@operator_required(Capability.MANAGE_BILLING, model=AllocationRun)
@require_POST
def run_validate(request, pk):
    run = _run_or_404(pk)
    try:
        runs.run_validate(run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Calcul validé : les titres peuvent être émis."))
    return redirect("billing:run_detail", pk=run.pk)


@operator_required(Capability.MANAGE_BILLING, model=AllocationRun)
@require_POST
def run_reproduce(request, pk):
    run = AllocationRun.objects.filter(pk=pk).first()
    if run is None:
        raise Http404
    try:
        identical, differences = runs.run_reproduce(run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if identical:
            messages.success(request, _("Calcul refait : résultats identiques au centime."))
        elif differences < 0:
            messages.error(
                request, _("Les données conservées ne correspondent plus à l'empreinte.")
            )
        else:
            messages.error(
                request, _("Calcul refait : %(n)s lignes diffèrent.") % {"n": differences}
            )
    return redirect("billing:run_detail", pk=pk)


@operator_required(Capability.MANAGE_BILLING, model=AllocationRun)
@require_POST
def run_issue(request, pk):
    run = _run_or_404(pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
        messages.error(request, " ".join([_("Dates invalides :"), *errors]))
        return redirect("billing:run_detail", pk=pk)
    try:
        issued = invoices.invoices_issue(run=run, issued_by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if issued:
            text = ngettext("%(n)s titre émis.", "%(n)s titres émis.", len(issued))
            messages.success(request, text % {"n": len(issued)})
        else:
            messages.info(
                request, _("0 titre émis : les payeurs de ce calcul ont déjà leur titre.")
            )
    return redirect("billing:run_detail", pk=pk)


@operator_required(Capability.MANAGE_BILLING, model=AllocationRun)
@require_POST
def run_pes(request, pk):
    """Asks for the PES file of the titres issued from a validated run, not yet in a file."""
    run = _run_or_404(pk)
    return pes_response(request, reverse("billing:run_detail", kwargs={"pk": run.pk}), run=run)


@operator_required(model=AllocationRun)
@require_GET
def run_export(request, pk, fmt):
    run = _run_or_404(pk)
    if run.status not in FINISHED_OK:
        raise Http404
    return tabular_response(
        file_stem=exports.file_stem("participations", run.year, f"calcul{run.pk}"),
        fmt=fmt,
        headers=exports.RUN_HEADERS,
        rows=exports.run_rows(run),
    )
