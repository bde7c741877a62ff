"""Operator pages of usage: list and manual entry (files are imported by the imports app)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.roles import Capability, has_capability
from mutualis.metering import selectors, services
from mutualis.metering.forms import UsageFilterForm, UsageRecordForm
from mutualis.metering.models import UsageSource


@operator_required()
@require_GET
def usage_list(request):
    form = UsageFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    records = selectors.usage_list(
        user=request.user,
        year=filters.get("year"),
        service=filters.get("service"),
        search=filters.get("q", ""),
    )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.with_labels(page.object_list)
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    return render(
        request,
        "metering/usage_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_manage": has_capability(request.user, Capability.MANAGE_BILLING),
        },
    )


@operator_required(Capability.MANAGE_BILLING)
@require_http_methods(["GET", "POST"])
def usage_create(request):
    form = UsageRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reading = services.UsageReading(
            member=data["member"],
            service=data["service"],
            period=data["period"],
            year=data["year"],
            month=data["month"],
            quantity=data["quantity"],
        )
        try:
            _record, outcome = services.usage_record_set(
                reading=reading,
                source=UsageSource.MANUAL,
                recorded_by=request.user,
                note=data["note"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            labels = {
                "created": _("Relevé enregistré."),
                "replaced": _("Relevé enregistré : il remplace le précédent de cette période."),
                "unchanged": _("Ce relevé était déjà enregistré : rien n'a changé."),
            }
            messages.success(request, labels[outcome])
            return redirect("metering:usage_list")
    return render(request, "metering/usage_form.html", {"form": form})
