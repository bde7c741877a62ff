"""« Mon espace » : a member's own sensors, their latest values, charts by sensor and by
building (day, month, year — from the rollups), and exports of any bounded period."""

import datetime as dt
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Case, Count, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mutualis.core.access import member_required
from mutualis.iot.chart_context import charted, period_from, period_links
from mutualis.iot.exports import export_response
from mutualis.iot.forms import ExportForm
from mutualis.iot.models import BUILDING_MAX_LENGTH, Measure, Sensor
from mutualis.iot.series import series_for


def _sensors(member):
    return Sensor.objects.filter(member=member)


@member_required()
@require_GET
def sensor_list(request, member):
    """The member's sensors grouped by building (those without one last), filterable by
    building; each building links to its charts."""
    buildings = [
        (name, count, urlencode({"nom": name}))
        for name, count in _sensors(member)
        .exclude(building="")
        .values_list("building")
        .annotate(n=Count("pk"))
        .order_by("building")
    ]
    chosen = request.GET.get("batiment", "").strip()[:BUILDING_MAX_LENGTH]
    sensors = _sensors(member).select_related("commune")
    if chosen:
        sensors = sensors.filter(building=chosen)
    sensors = sensors.order_by(
        Case(When(building="", then=Value(1)), default=Value(0)), "building", "name", "pk"
    )
    page = Paginator(sensors, 50).get_page(request.GET.get("page"))
    latest: dict[int, list[Measure]] = {}
    for measure in Measure.objects.filter(sensor__in=list(page)).order_by("quantity"):
        latest.setdefault(measure.sensor_id, []).append(measure)
    today = timezone.localdate()
    form = ExportForm(
        sensors=_sensors(member).order_by("name"),
        initial={"since": today.replace(day=1), "until": today},
    )
    return render(
        request,
        "iot/portal/sensors.html",
        {
            "member": member,
            "page": page,
            "query": urlencode({"batiment": chosen}) if chosen else "",
            "rows": [(s, latest.get(s.pk, [])) for s in page],
            "buildings": buildings,
            "chosen": chosen,
            "form": form,
        },
    )


@member_required(model=Sensor)
@require_GET
def sensor_detail(request, member, pk):
    sensor = get_object_or_404(_sensors(member).select_related("commune"), pk=pk)
    period = period_from(request)
    measures = list(sensor.measures.order_by("quantity"))
    series = series_for([sensor.pk], [m.quantity for m in measures], period)
    return render(
        request,
        "iot/portal/sensor.html",
        {
            "member": member,
            "sensor": sensor,
            "measures": measures,
            "charts": charted(series, period),
            **period_links(request, period),
        },
    )


@member_required()
@require_GET
def building(request, member):
    name = request.GET.get("nom", "").strip()[:BUILDING_MAX_LENGTH]
    if not name:
        return redirect("iot_portal:sensor_list", member_pk=member.pk)
    sensors = list(_sensors(member).filter(building=name).order_by("name", "pk"))
    if not sensors:
        raise Http404
    period = period_from(request)
    quantities = set(Measure.objects.filter(sensor__in=sensors).values_list("quantity", flat=True))
    series = series_for([s.pk for s in sensors], quantities, period)
    return render(
        request,
        "iot/portal/building.html",
        {
            "member": member,
            "building": name,
            "sensors": sensors,
            "charts": charted(series, period),
            **period_links(request, period),
        },
    )


@member_required()
@require_GET
def export(request, member):
    if not request.GET:
        return redirect("iot_portal:sensor_list", member_pk=member.pk)
    form = ExportForm(request.GET, sensors=_sensors(member).order_by("name"))
    if not form.is_valid():
        return render(
            request, "iot/portal/export_refused.html", {"member": member, "form": form}, status=400
        )
    data = form.cleaned_data
    sensors = _sensors(member)
    if data["sensor"] is not None:
        sensors = sensors.filter(pk=data["sensor"].pk)
    since: dt.date = data["since"]
    until: dt.date = data["until"]
    return export_response(
        sensors=sensors, since=since, until=until, step=data["step"], kind=data["format"]
    )
