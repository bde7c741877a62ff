"""Operator pages of the alerts: the list, one alert with its series, acknowledge, resolve,
and a detection pass launched in the background."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mutualis.alerts import selectors, services
from mutualis.alerts.forms import NoteForm, ResolveForm
from mutualis.alerts.models import Alert, AlertStatus, DetectionRun
from mutualis.alerts.svg import line_chart
from mutualis.core import roles
from mutualis.core.access import operator_required
from mutualis.core.jobs import job_enqueue
from mutualis.core.roles import Capability, has_capability

MANAGE = Capability.MANAGE_IOT


def _noon(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@operator_required()
@require_GET
def alert_list(request):
    status = request.GET.get("statut", "")
    alerts = selectors.alert_list(user=request.user, status=status)
    return render(
        request,
        "alerts/alert_list.html",
        {
            "page": Paginator(alerts, 50).get_page(request.GET.get("page")),
            "status": status,
            "statuses": AlertStatus.choices,
            "runs": DetectionRun.objects.all()[:3],
            "can_run": has_capability(request.user, MANAGE),
            "detail_url": "alerts:detail",
        },
    )


def alert_context(request, alert, *, can_acknowledge: bool, can_resolve: bool) -> dict:
    balance = selectors.sector_series(alert)
    if balance:
        points = [(_noon(row[0]), row[1]) for row in balance]
        unit = "L"
        chart = line_chart(
            points,
            title=_(
                "Volume journalier du compteur de tête %(sensor)s (trait plein) et somme des "
                "compteurs en aval (tirets), en litres"
            )
            % {"sensor": alert.sensor.name},
            unit=unit,
            mark=timezone.localtime(alert.opened_at),
            second=[(_noon(row[0]), row[2]) for row in balance],
        )
    else:
        points, unit = selectors.alert_series(alert)
        chart = line_chart(
            points,
            title=_("Série du capteur %(sensor)s autour de l'alerte, en %(unit)s")
            % {"sensor": alert.sensor.name, "unit": unit},
            unit=unit,
            mark=timezone.localtime(alert.opened_at),
        )
    return {
        "alert": alert,
        "chart": chart,
        "points": points[-48:],
        "balance": balance,
        "unit": unit,
        "can_acknowledge": can_acknowledge and alert.status == AlertStatus.OPEN,
        "can_resolve": can_resolve and alert.status != AlertStatus.RESOLVED,
        "note_form": NoteForm(),
        "resolve_form": ResolveForm(),
    }


@operator_required(model=Alert)
@require_GET
def alert_detail(request, pk):
    alert = get_object_or_404(Alert.objects.visible_to(request.user), pk=pk)
    context = alert_context(
        request,
        alert,
        can_acknowledge=roles.ALERT_ACKNOWLEDGE.allows(request.user),
        can_resolve=has_capability(request.user, MANAGE),
    )
    context["acknowledge_url"] = "alerts:acknowledge"
    context["back_url"] = "alerts:list"
    return render(request, "alerts/alert_detail.html", context)


@operator_required(model=Alert, write=roles.ALERT_ACKNOWLEDGE)
@require_POST
def alert_acknowledge(request, pk):
    alert = get_object_or_404(Alert.objects.visible_to(request.user), pk=pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.alert_acknowledge(alert=alert, user=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Alerte prise en compte."))
    return redirect("alerts:detail", pk=alert.pk)


@operator_required(model=Alert, write=MANAGE)
@require_POST
def alert_resolve(request, pk):
    alert = get_object_or_404(Alert.objects.visible_to(request.user), pk=pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Dites en une phrase ce qui a été fait (500 caractères au plus).")
        )
        return redirect("alerts:detail", pk=alert.pk)
    try:
        services.alert_resolve(alert=alert, user=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Alerte résolue."))
    return redirect("alerts:detail", pk=alert.pk)


@operator_required(write=MANAGE)
@require_POST
def detection_launch(request):
    run = DetectionRun.objects.create(until=timezone.now(), created_by=request.user)
    job_enqueue(run)
    messages.success(
        request, _("Détection lancée en arrière-plan : les alertes s'ouvrent à mesure.")
    )
    return redirect("alerts:list")
