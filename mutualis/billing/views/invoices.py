from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutualis.billing import selectors
from mutualis.billing.forms import CorrectionForm, InvoiceFilterForm
from mutualis.billing.models import Invoice, PesTransmittedDocument
from mutualis.billing.services import exports, invoices, pes, preparations
from mutualis.billing.services.pdf import invoice_pdf
from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.roles import Capability, has_capability
from mutualis.core.tabular import tabular_response


def _filters(request) -> dict:
    form = InvoiceFilterForm(request.GET or None)
    return {"year": form.cleaned_data.get("year")} if form.is_valid() else {}


@operator_required()
@require_GET
def invoice_list(request):
    filters = _filters(request)
    invoice_qs = selectors.invoice_list(**filters)
    page = selectors.invoice_table_page(invoice_qs, request.GET.get("page"))
    return render(
        request,
        "billing/invoice_list.html",
        {
            "page": page,
            "form": InvoiceFilterForm(request.GET or None),
            "totals": selectors.invoice_totals(invoice_qs),
            "query": f"year={filters['year']}" if filters.get("year") else "",
            "year": filters.get("year") or "",
            "can_manage": has_capability(request.user, Capability.MANAGE_BILLING),
        },
    )


@operator_required()
@require_GET
def invoice_export(request, fmt):
    filters = _filters(request)
    return tabular_response(
        file_stem=exports.file_stem("titres", filters.get("year")),
        fmt=fmt,
        headers=exports.INVOICE_HEADERS,
        rows=exports.invoice_rows(selectors.invoice_list(**filters)),
    )


def pes_response(request, back: str, *, run=None, year=None):
    """Queues the preparation of the PES file of the titres of `run` (or of `year`) not yet in
    a file and goes to its page, or goes back to `back` with the French reason."""
    try:
        preparation, created = preparations.preparation_request(
            run=run, year=year, user=request.user
        )
    except pes.PesError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if not created:
        messages.info(
            request,
            _(
                "Un fichier PES est déjà en préparation : attendez qu'il soit prêt avant d'en "
                "demander un autre."
            ),
        )
    return redirect("billing:preparation_detail", pk=preparation.pk)


def transmission_file_response(transmission) -> HttpResponse:
    response = HttpResponse(
        bytes(transmission.content), content_type=f"application/xml; charset={pes.ENCODING}"
    )
    response["Content-Disposition"] = f'attachment; filename="{transmission.file_name}"'
    return response


@operator_required(Capability.MANAGE_BILLING)
@require_POST
def invoice_pes(request):
    """Asks for the PES file of a year's titres not yet in a file (annee=2026)."""
    year_value = request.POST.get("annee") or request.GET.get("annee") or request.GET.get("year")
    form = InvoiceFilterForm({"year": year_value})
    year = form.cleaned_data.get("year") if form.is_valid() else None
    back = reverse("billing:invoice_list") + (f"?annee={year}" if year else "")
    if not year:
        messages.error(request, _("Choisissez l'exercice des titres du fichier PES."))
        return redirect(back)
    return pes_response(request, back, year=year)


def invoice_context(invoice: Invoice) -> dict:
    return {
        "invoice": invoice,
        "lines": invoice.lines.select_related("service", "member"),
        "corrections": invoice.corrections.order_by("pk"),
        "balance": (
            invoices.invoice_balance_cents(invoice)
            if invoice.kind in invoices.REDUCIBLE_KINDS
            else None
        ),
    }


@operator_required(model=Invoice)
@require_GET
def invoice_detail(request, pk):
    invoice = get_object_or_404(
        Invoice.objects.select_related("original", "member", "decision"), pk=pk
    )
    context = invoice_context(invoice)
    context["can_manage"] = has_capability(request.user, Capability.MANAGE_BILLING)
    context["sent"] = (
        PesTransmittedDocument.objects.filter(invoice=invoice)
        .select_related("transmission")
        .defer("transmission__content")
        .first()
    )
    return render(request, "billing/invoice_detail.html", context)


def pdf_response(invoice: Invoice) -> HttpResponse:
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="avis-{invoice.reference}.pdf"'
    return response


@operator_required(model=Invoice)
@require_GET
def invoice_pdf_download(request, pk):
    return pdf_response(get_object_or_404(Invoice.objects.select_related("original"), pk=pk))


@operator_required(Capability.MANAGE_BILLING, model=Invoice)
@require_http_methods(["GET", "POST"])
def invoice_correct(request, pk):
    original = get_object_or_404(Invoice.objects.select_related("member"), pk=pk)
    if original.kind not in invoices.REDUCIBLE_KINDS:
        raise Http404
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = invoices.invoice_correct(
                original=original,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                issued_on=form.cleaned_data["issued_on"],
                amount_cents=form.amount_cents(),
                issued_by=request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Document %(ref)s émis.") % {"ref": correction.reference})
            return redirect("billing:invoice_detail", pk=correction.pk)
    return render(
        request,
        "billing/invoice_correct.html",
        {"form": form, "invoice": original, "balance": invoices.invoice_balance_cents(original)},
    )


@operator_required()
@require_GET
def receivables(request):
    filters = _filters(request)
    page = Paginator(selectors.receivables(**filters), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/receivables.html",
        {
            "page": page,
            "form": InvoiceFilterForm(request.GET or None),
            "query": f"year={filters['year']}" if filters.get("year") else "",
        },
    )
