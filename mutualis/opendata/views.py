"""Open data pages: the public datastreams, each month downloadable as CSV, under the
Licence Ouverte 2.0."""

import csv
import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mutualis.core.access import public
from mutualis.iot.models import UNITS
from mutualis.opendata import selectors

MONTHS_LISTED = 12


def _months(today: dt.date) -> list[dt.date]:
    months, first = [], today.replace(day=1)
    for _ in range(MONTHS_LISTED):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months


@public
@require_GET
def open_data(request):
    measures = (
        selectors.public_measures()
        .select_related("sensor", "sensor__member", "sensor__commune")
        .order_by("sensor__member__name", "sensor__name", "quantity")
    )
    return render(
        request,
        "opendata/index.html",
        {
            "measures": measures,
            "months": _months(timezone.localdate()),
            "licence": selectors.LICENCE,
            "licence_url": selectors.LICENCE_URL,
        },
    )


@public
@require_GET
def month_csv(request, measure: int, year: int, month: int):
    series = selectors.public_measures().select_related("sensor").filter(pk=measure).first()
    if series is None or not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="mutualis-{measure}-{year:04d}-{month:02d}.csv"'
    )
    response["Link"] = f'<{selectors.LICENCE_URL}>; rel="license"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(["heure", "valeur", "unite", "capteur", "grandeur", "licence"])
    readings = (
        series.readings.filter(time__gte=start, time__lt=end)
        .order_by("time")
        .values_list("time", "value")
    )
    unit = UNITS[series.quantity]
    for time, value in readings.iterator(chunk_size=5_000):
        writer.writerow(
            [
                timezone.localtime(time).isoformat(),
                value,
                unit,
                series.sensor.name,
                series.quantity,
                selectors.LICENCE,
            ]
        )
    return response
