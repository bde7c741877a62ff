"""Operator pages of billing (/operateur/facturation/) and the member portal's invoices."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from mutualis.billing import selectors
from mutualis.billing.models import Invoice, RunStatus, Tariff, TariffStatus
from mutualis.core.access import operator_required
from mutualis.core.roles import Capability, has_capability


@operator_required()
@require_GET
def index(request):
    runs = list(selectors.run_list()[:5])
    return render(
        request,
        "billing/index.html",
        {
            "runs": runs,
            "validated": [run for run in runs if run.status == RunStatus.VALIDATED],
            "drafts": Tariff.objects.filter(status=TariffStatus.DRAFT).count(),
            "adopted": Tariff.objects.filter(status=TariffStatus.ADOPTED).count(),
            "invoices": Invoice.objects.count(),
            "can_manage": has_capability(request.user, Capability.MANAGE_BILLING),
        },
    )
