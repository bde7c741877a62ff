"""A member's values over a bounded period, streamed as CSV (French spreadsheet: « ; »,
decimal comma, UTF-8 with BOM) or JSON: each raw value, or the hourly or daily rollups."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone

from mutualis.core.numbers import decimal_comma, format_date
from mutualis.iot.models import UNITS, DailyRollup, HourlyRollup, Reading
from mutualis.iot.rollups import day_bounds

RAW_HEADERS = ["capteur", "nom", "grandeur", "unite", "heure", "valeur"]
ROLLUP_HEADERS = ["capteur", "nom", "grandeur", "unite", "debut", "nombre", "minimum"]
ROLLUP_HEADERS += ["maximum", "moyenne", "somme", "derniere"]
JSON_RAW = ["sensor", "name", "quantity", "unit", "time", "value"]
JSON_ROLLUP = ["sensor", "name", "quantity", "unit", "start", "count", "min", "max", "mean"]
JSON_ROLLUP += ["sum", "last"]


def _rows(sensors, since: dt.date, until: dt.date, step: str):
    start, _end = day_bounds(since)
    _start, end = day_bounds(until)
    common = ("sensor_id", "sensor__name", "measure__quantity")
    if step == "valeurs":
        rows = (
            Reading.objects.filter(sensor__in=sensors, time__gte=start, time__lt=end)
            .order_by("sensor_id", "measure_id", "time")
            .values_list(*common, "time", "value")
        )
        for sensor, name, quantity, time, value in rows.iterator(chunk_size=5000):
            yield [sensor, name, quantity, UNITS[quantity], timezone.localtime(time), value]
        return
    if step == "heure":
        rollups = HourlyRollup.objects.filter(sensor__in=sensors, hour__gte=start, hour__lt=end)
        key = "hour"
    else:
        rollups = DailyRollup.objects.filter(sensor__in=sensors, day__gte=since, day__lte=until)
        key = "day"
    rows = rollups.order_by("sensor_id", "measure_id", key).values_list(
        *common, key, "count", "min", "max", "sum", "last"
    )
    for sensor, name, quantity, moment, count, low, high, total, last in rows.iterator(
        chunk_size=5000
    ):
        if isinstance(moment, dt.datetime):
            moment = timezone.localtime(moment)
        yield [
            sensor,
            name,
            quantity,
            UNITS[quantity],
            moment,
            count,
            low,
            high,
            total / count,
            total,
            last,
        ]


def _csv_cell(value) -> str:
    if isinstance(value, float):
        return decimal_comma(Decimal(repr(value)))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return f"'{value}"
    return str(value)


def _csv(headers, rows):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _json(keys, rows):
    yield "["
    first = True
    for row in rows:
        item = json.dumps(dict(zip(keys, map(_json_value, row), strict=True)), ensure_ascii=False)
        yield item if first else "," + item
        first = False
    yield "]"


def export_response(*, sensors, since: dt.date, until: dt.date, step: str, kind: str):
    rows = _rows(sensors, since, until, step)
    raw = step == "valeurs"
    name = f"mesures-{step}-{since.isoformat()}-{until.isoformat()}.{kind}"
    if kind == "json":
        response = StreamingHttpResponse(
            _json(JSON_RAW if raw else JSON_ROLLUP, rows), content_type="application/json"
        )
    else:
        response = StreamingHttpResponse(
            _csv(RAW_HEADERS if raw else ROLLUP_HEADERS, rows),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
