"""« Mon espace » : a member's own sensors, their latest values, charts by sensor and by
building (day, month, year — from the rollups), and exports of any bounded period."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mutualis.core.access import member_required
from mutualis.core.numbers import InputError, format_number, parse_date
from mutualis.iot import charts
from mutualis.iot.exports import export_response
from mutualis.iot.forms import ExportForm
from mutualis.iot.models import Measure, Sensor
from mutualis.iot.series import VIEWS, Period, building_of, series_for


def _sensors(member):
    return Sensor.objects.filter(member=member)


def period_from(request) -> Period:
    view = request.GET.get("vue", "mois")
    if view not in VIEWS:
        view = "mois"
    try:
        day = parse_date(request.GET.get("date"), required=False)
    except InputError:
        day = None
    return Period(view, day or timezone.localdate())


def _fmt(value: float) -> str:
    return format_number(Decimal(str(round(value, 2))))


def charted(series_list, period: Period) -> list[dict]:
    """Each series with its chart's geometry (bars for consumptions and counts)."""
    every = {"jour": 3, "mois": 3, "annee": 1}[period.view]
    return [
        {
            "series": s,
            "chart": charts.chart(
                [p.label for p in s.points],
                [p.value for p in s.points],
                bars=s.how != "mean",
                fmt=_fmt,
                label_every=every,
            ),
        }
        for s in series_list
    ]


def _period_links(request, period: Period) -> dict:
    def link(p: Period) -> str:
        params = request.GET.copy()
        params["vue"], params["date"] = p.view, p.day.isoformat()
        return "?" + params.urlencode()

    return {
        "period": period,
        "views": [(key, label, link(Period(key, period.day))) for key, label in VIEWS.items()],
        "previous": link(period.shifted(-1)),
        "next": link(period.shifted(1)),
    }


@member_required()
@require_GET
def sensor_list(request, member):
    sensors = _sensors(member).select_related("commune").order_by("name", "pk")
    page = Paginator(sensors, 50).get_page(request.GET.get("page"))
    latest: dict[int, list[Measure]] = {}
    for measure in Measure.objects.filter(sensor__in=list(page)).order_by("quantity"):
        latest.setdefault(measure.sensor_id, []).append(measure)
    buildings = sorted(
        {building_of(name) for name in _sensors(member).values_list("name", flat=True)}
    )
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
            "query": "",
            "rows": [(s, latest.get(s.pk, [])) for s in page],
            "buildings": [(b, urlencode({"nom": b})) for b in buildings],
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
            **_period_links(request, period),
        },
    )


@member_required()
@require_GET
def building(request, member):
    name = request.GET.get("nom", "").strip()[:200]
    if not name:
        return redirect("iot_portal:sensor_list", member_pk=member.pk)
    candidates = _sensors(member).filter(name__startswith=name).order_by("name", "pk")
    sensors = [s for s in candidates if building_of(s.name) == name]
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
            **_period_links(request, period),
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
