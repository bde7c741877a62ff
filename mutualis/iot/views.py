"""Operator pages of the data platform: sensors and their maintenance (the gateways:
gateway_views.py)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.roles import Capability, has_capability
from mutualis.iot import selectors, services
from mutualis.iot.chart_context import charted, period_from, period_links
from mutualis.iot.forms import MaintenanceForm, SensorFilterForm, SensorForm
from mutualis.iot.models import EventKind, Sensor
from mutualis.iot.series import series_for

MANAGE = Capability.MANAGE_IOT


@operator_required()
@require_GET
def sensor_list(request):
    form = SensorFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sensors = selectors.sensor_list(
        user=request.user,
        member=filters.get("member"),
        kind=filters.get("kind", ""),
        commune=filters.get("commune"),
        building=filters.get("building", ""),
    )
    page = Paginator(sensors, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    return render(
        request,
        "iot/sensor_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "quarantine": selectors.quarantine_counts(),
            "can_manage": has_capability(request.user, MANAGE),
        },
    )


def _data(cleaned, member=None) -> services.SensorData:
    return services.SensorData(
        member=member or cleaned["member"],
        name=cleaned["name"],
        building=cleaned["building"].strip(),
        kind=cleaned["kind"],
        quantities=tuple(cleaned["quantities"]),
        commune=cleaned["commune"],
        latitude=cleaned["latitude"],
        longitude=cleaned["longitude"],
        installed_on=cleaned["installed_on"],
        reporting_minutes=cleaned["reporting_minutes"],
        open_data=cleaned["open_data"],
        active=cleaned["active"],
    )


def _device(cleaned) -> services.DeviceData:
    return services.DeviceData(
        dev_eui=cleaned["dev_eui"],
        make=cleaned["make"],
        model=cleaned["model"],
        generation=cleaned["generation"],
    )


@operator_required(MANAGE)
@require_http_methods(["GET", "POST"])
def sensor_create(request):
    form = SensorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sensor = services.sensor_create(
                data=_data(form.cleaned_data), device=_device(form.cleaned_data), user=request.user
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Capteur enregistré."))
            return redirect("iot:sensor_detail", pk=sensor.pk)
    return render(request, "iot/sensor_form.html", {"form": form, "sensor": None})


@operator_required(model=Sensor)
@require_GET
def sensor_detail(request, pk):
    sensor = get_object_or_404(
        Sensor.objects.visible_to(request.user).select_related("member", "commune"), pk=pk
    )
    period = period_from(request)
    quantities = [m.quantity for m in sensor.measures.all()]
    return render(
        request,
        "iot/sensor_detail.html",
        {
            "charts": charted(series_for([sensor.pk], quantities, period), period),
            **period_links(request, period),
            "sensor": sensor,
            "devices": sensor.devices.order_by("-installed_on", "-pk"),
            "latest": selectors.latest_values(sensor),
            "events": sensor.events.select_related("recorded_by"),
            "can_manage": has_capability(request.user, MANAGE),
        },
    )


@operator_required(MANAGE, model=Sensor)
@require_http_methods(["GET", "POST"])
def sensor_update(request, pk):
    sensor = get_object_or_404(Sensor, pk=pk)
    device = services.current_device(sensor)
    initial = {
        "member": sensor.member,
        "name": sensor.name,
        "building": sensor.building,
        "kind": sensor.kind,
        "quantities": list(sensor.measures.values_list("quantity", flat=True)),
        "dev_eui": device.dev_eui if device else "",
        "make": device.make if device else "",
        "model": device.model if device else "",
        "generation": device.generation if device else "",
        "commune": sensor.commune.insee_code if sensor.commune else "",
        "latitude": sensor.latitude,
        "longitude": sensor.longitude,
        "installed_on": sensor.installed_on,
        "reporting_minutes": sensor.reporting_minutes,
        "open_data": sensor.open_data,
        "active": sensor.active,
    }
    form = SensorForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.sensor_update(
                sensor=sensor, data=_data(form.cleaned_data), device=_device(form.cleaned_data)
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Capteur modifié.") if changed else _("Rien n'a changé."))
            return redirect("iot:sensor_detail", pk=sensor.pk)
    return render(request, "iot/sensor_form.html", {"form": form, "sensor": sensor})


@operator_required(MANAGE, model=Sensor)
@require_http_methods(["GET", "POST"])
def sensor_maintenance(request, pk):
    sensor = get_object_or_404(Sensor, pk=pk)
    form = MaintenanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "sensor": sensor,
            "date": data["date"],
            "note": data["note"],
            "user": request.user,
        }
        try:
            if data["kind"] == EventKind.BATTERY:
                services.sensor_battery_change(**common)
            elif data["kind"] == EventKind.REPLACEMENT:
                services.sensor_replace(**common, device=_device(data))
            elif data["kind"] == EventKind.MOVE:
                services.sensor_move(
                    **common,
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    name=data["name"],
                )
            else:
                services.sensor_note(**common)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Intervention enregistrée."))
            return redirect("iot:sensor_detail", pk=sensor.pk)
    return render(request, "iot/maintenance_form.html", {"form": form, "sensor": sensor})
