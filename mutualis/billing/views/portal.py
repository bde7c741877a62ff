"""« Mon espace »: a member's titres (and their PDF) and its usage."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from mutualis.billing import selectors
from mutualis.billing.models import Invoice
from mutualis.billing.views.invoices import invoice_context, pdf_response
from mutualis.core.access import member_required
from mutualis.metering import selectors as usage_selectors


@member_required()
@require_GET
def portal_invoices(request, member):
    page = selectors.invoice_table_page(
        selectors.invoice_list(member_id=member.pk), request.GET.get("page")
    )
    return render(request, "billing/portal/invoices.html", {"member": member, "page": page})


@member_required(model=Invoice)
@require_GET
def portal_invoice_detail(request, member, pk):
    invoice = get_object_or_404(member.invoices.select_related("original"), pk=pk)
    context = invoice_context(invoice)
    context["member"] = member
    return render(request, "billing/portal/invoice_detail.html", context)


@member_required(model=Invoice)
@require_GET
def portal_invoice_pdf(request, member, pk):
    return pdf_response(get_object_or_404(member.invoices.select_related("original"), pk=pk))


@member_required()
@require_GET
def portal_usage(request, member):
    page = Paginator(usage_selectors.member_usage(member), 50).get_page(request.GET.get("page"))
    page.object_list = usage_selectors.with_labels(page.object_list)
    return render(request, "billing/portal/usage.html", {"member": member, "page": page})
