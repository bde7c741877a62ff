"""The PES files prepared for the comptable public: the list, and each file again."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from mutualis.billing.models import PesMode, PesTransmission
from mutualis.billing.services import transmissions
from mutualis.billing.services.identity import operator_identity
from mutualis.billing.views.invoices import transmission_file_response
from mutualis.core.access import operator_required
from mutualis.core.roles import Capability


@operator_required(Capability.MANAGE_BILLING, write=None)
@require_GET
def transmission_list(request):
    page = Paginator(
        PesTransmission.objects.defer("content").select_related("created_by"), 25
    ).get_page(request.GET.get("page"))
    for transmission in page:
        transmission.labels = transmissions.bordereau_labels(transmission)
    mode = operator_identity().pes_mode
    left_out = (
        transmissions.untransmitted_corrections(transmissions.Invoice.objects.all())
        if mode == PesMode.ORMC
        else []
    )
    return render(
        request,
        "billing/transmission_list.html",
        {"page": page, "mode": PesMode(mode).label, "left_out": left_out},
    )


@operator_required(Capability.MANAGE_BILLING, model=PesTransmission, write=None)
@require_GET
def transmission_download(request, pk):
    """The file exactly as it was prepared (same bytes, same name)."""
    return transmission_file_response(get_object_or_404(PesTransmission, pk=pk))
