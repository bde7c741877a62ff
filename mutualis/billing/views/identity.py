"""The operator's identity as creditor (avis des sommes à payer, PES file): one page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutualis.billing.forms import OperatorIdentityForm
from mutualis.billing.services import identity as services
from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.roles import Capability


@operator_required(Capability.MANAGE_BILLING)
@require_http_methods(["GET", "POST"])
def identity_edit(request):
    current = services.operator_identity()
    form = OperatorIdentityForm(request.POST or None, request.FILES or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_update(**form.service_arguments())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Identité de l'opérateur enregistrée."))
            return redirect("billing:identity")
    return render(
        request,
        "billing/identity_form.html",
        {
            "form": form,
            "identity": current,
            "missing": services.missing_for_pes(current),
            "logo_size": len(current.logo or b""),
        },
        status=400 if form.errors else 200,
    )
