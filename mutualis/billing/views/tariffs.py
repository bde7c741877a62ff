from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutualis.billing import selectors
from mutualis.billing.forms import TariffAdoptForm, TariffEditForm, TariffForm
from mutualis.billing.models import Tariff
from mutualis.billing.services import tariffs as services
from mutualis.billing.services.tariff_text import tariff_text
from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.roles import Capability, has_capability


def _year(request) -> int | None:
    try:
        return int(request.GET.get("annee", ""))
    except ValueError:
        return None


@operator_required()
@require_GET
def tariff_list(request):
    year = _year(request)
    return render(
        request,
        "billing/tariff_list.html",
        {
            "tariffs": selectors.tariff_list(year=year),
            "year": year,
            "can_manage": has_capability(request.user, Capability.MANAGE_BILLING),
        },
    )


@operator_required(Capability.MANAGE_BILLING)
@require_http_methods(["GET", "POST"])
def tariff_create(request):
    form = TariffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tariff = services.tariff_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Projet de tarif enregistré."))
            return redirect("billing:tariff_detail", pk=tariff.pk)
    return render(request, "billing/tariff_form.html", {"form": form, "tariff": None})


@operator_required(model=Tariff)
@require_GET
def tariff_detail(request, pk):
    tariff = get_object_or_404(Tariff.objects.select_related("service", "decision"), pk=pk)
    return render(
        request,
        "billing/tariff_detail.html",
        {
            "tariff": tariff,
            "history": selectors.tariff_history(tariff),
            "text": tariff_text(tariff),
            "has_other_version": Tariff.objects.filter(service_id=tariff.service_id)
            .exclude(pk=tariff.pk)
            .exists(),
            "can_manage": has_capability(request.user, Capability.MANAGE_BILLING),
            "adopt_form": TariffAdoptForm(),
        },
    )


@operator_required(Capability.MANAGE_BILLING, model=Tariff)
@require_http_methods(["GET", "POST"])
def tariff_edit(request, pk):
    tariff = get_object_or_404(Tariff.objects.select_related("service"), pk=pk)
    if not tariff.is_editable:
        messages.error(request, _("Une version adoptée ne se modifie pas : créez une version."))
        return redirect("billing:tariff_detail", pk=tariff.pk)
    form = TariffEditForm(request.POST or None, initial={"text": tariff.text, "note": tariff.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.tariff_update(tariff=tariff, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Tarif enregistré."))
            return redirect("billing:tariff_detail", pk=tariff.pk)
    return render(request, "billing/tariff_form.html", {"form": form, "tariff": tariff})


@operator_required(Capability.MANAGE_BILLING, model=Tariff)
@require_POST
def tariff_new_version(request, pk):
    tariff = get_object_or_404(Tariff.objects.select_related("service"), pk=pk)
    new = services.tariff_new_version(tariff=tariff, created_by=request.user)
    messages.success(request, _("Version %(v)s créée : modifiez-la.") % {"v": new.version})
    return redirect("billing:tariff_edit", pk=new.pk)


@operator_required(Capability.MANAGE_BILLING, model=Tariff)
@require_POST
def tariff_adopt(request, pk):
    tariff = get_object_or_404(Tariff.objects.select_related("service"), pk=pk)
    form = TariffAdoptForm(request.POST)
    if form.is_valid():
        try:
            services.tariff_adopt_by_vote(tariff=tariff, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Tarif adopté."))
            return redirect("billing:tariff_detail", pk=tariff.pk)
    return render(
        request,
        "billing/tariff_detail.html",
        {
            "tariff": tariff,
            "history": selectors.tariff_history(tariff),
            "text": tariff_text(tariff),
            "has_other_version": Tariff.objects.filter(service_id=tariff.service_id)
            .exclude(pk=tariff.pk)
            .exists(),
            "can_manage": True,
            "adopt_form": form,
        },
        status=400,
    )
