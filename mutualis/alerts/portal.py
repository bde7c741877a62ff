"""« Mon espace » : the member's alerts (acknowledge) and the consents of monitored homes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutualis.alerts import selectors, services
from mutualis.alerts.forms import ConsentForm, NoteForm
from mutualis.alerts.models import Alert, AlertStatus, MonitoringConsent
from mutualis.alerts.views import alert_context
from mutualis.core import roles
from mutualis.core.access import member_required
from mutualis.core.forms import add_validation_error


@member_required()
@require_GET
def portal_alerts(request, member):
    status = request.GET.get("statut", "")
    alerts = selectors.alert_list(user=request.user, member=member, status=status)
    return render(
        request,
        "alerts/portal/alert_list.html",
        {
            "member": member,
            "page": Paginator(alerts, 50).get_page(request.GET.get("page")),
            "status": status,
            "statuses": AlertStatus.choices,
        },
    )


def _alert(request, member, pk):
    return get_object_or_404(
        Alert.objects.visible_to(request.user).filter(member=member).select_related("sensor"),
        pk=pk,
    )


@member_required(model=Alert)
@require_GET
def portal_alert_detail(request, member, pk):
    alert = _alert(request, member, pk)
    context = alert_context(
        request,
        alert,
        can_acknowledge=roles.ALERT_ACKNOWLEDGE.allows(request.user),
        can_resolve=False,
    )
    context["member"] = member
    return render(request, "alerts/portal/alert_detail.html", context)


@member_required(model=Alert, write=roles.ALERT_ACKNOWLEDGE)
@require_POST
def portal_alert_acknowledge(request, member, pk):
    alert = _alert(request, member, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.alert_acknowledge(alert=alert, user=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Alerte prise en compte. Merci."))
    return redirect("alerts_portal:detail", member_pk=member.pk, pk=alert.pk)


@member_required(write=roles.MONITORING_CONSENT)
@require_http_methods(["GET", "POST"])
def portal_consents(request, member):
    form = ConsentForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        data = services.ConsentData(**form.cleaned_data)
        try:
            services.consent_record(member=member, data=data, user=request.user)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Consentement enregistré : le suivi commence."))
            return redirect("alerts_portal:consents", member_pk=member.pk)
    return render(
        request,
        "alerts/portal/consents.html",
        {
            "member": member,
            "consents": selectors.consents_for(user=request.user, member=member),
            "form": form,
            "can_record": roles.MONITORING_CONSENT.allows(request.user),
        },
        status=400 if form.errors else 200,
    )


@member_required(model=MonitoringConsent, write=roles.MONITORING_CONSENT)
@require_POST
def portal_consent_withdraw(request, member, pk):
    consent = get_object_or_404(
        MonitoringConsent.objects.visible_to(request.user).filter(member=member), pk=pk
    )
    try:
        services.consent_withdraw(consent=consent, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Consentement retiré : le suivi s'arrête et ses alertes sont effacées.")
        )
    return redirect("alerts_portal:consents", member_pk=member.pk)
