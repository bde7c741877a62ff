"""The PES files prepared for the comptable public: the list, each preparation (a background
job: its progress, then its file), and each file again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mutualis.billing.forms import DepositForm
from mutualis.billing.models import PesMode, PesPreparation, PesTransmission
from mutualis.billing.services import preparations, transmissions
from mutualis.billing.services.identity import operator_identity
from mutualis.billing.views.invoices import transmission_file_response
from mutualis.core.access import operator_required
from mutualis.core.jobs import fail_abandoned
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
        {
            "page": page,
            "mode": PesMode(mode).label,
            "left_out": left_out,
            "unfinished": preparations.unfinished(),
        },
    )


@operator_required(Capability.MANAGE_BILLING, model=PesPreparation, write=None)
@require_GET
def preparation_detail(request, pk):
    """A preparation: its progress (the status part polls itself), then its file."""
    fail_abandoned(PesPreparation)
    preparation = get_object_or_404(
        PesPreparation.objects.select_related("run", "created_by").defer("transmission__content"),
        pk=pk,
    )
    transmission = preparation.transmission
    context = {
        "preparation": preparation,
        "transmission": transmission,
        "labels": transmissions.bordereau_labels(transmission) if transmission else [],
    }
    if request.headers.get("HX-Request"):
        return render(request, "billing/_preparation_status.html", context)
    return render(request, "billing/preparation_detail.html", context)


@operator_required(Capability.MANAGE_BILLING, model=PesTransmission)
@require_POST
def transmission_deposit(request, pk):
    """Notes that the operator deposited the file on Hélios, on the date given."""
    transmission = get_object_or_404(PesTransmission.objects.defer("content"), pk=pk)
    form = DepositForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("deposited_on") or [])
        day = form.cleaned_data["deposited_on"]
        transmissions.transmission_mark_deposited(
            transmission=transmission, day=day, user=request.user
        )
    except ValidationError as error:
        messages.error(
            request,
            _("Dépôt non noté pour %(file)s : %(why)s")
            % {"file": transmission.file_name, "why": " ".join(error.messages)},
        )
    else:
        messages.success(
            request,
            _("%(file)s noté comme déposé sur Hélios le %(date)s.")
            % {"file": transmission.file_name, "date": day.strftime("%d/%m/%Y")},
        )
    return redirect("billing:transmission_list")


@operator_required(Capability.MANAGE_BILLING, model=PesTransmission, write=None)
@require_GET
def transmission_download(request, pk):
    """The file exactly as it was prepared (same bytes, same name)."""
    return transmission_file_response(get_object_or_404(PesTransmission, pk=pk))
