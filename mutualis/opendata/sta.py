"""Read-only OGC SensorThings API v1.1 (a subset) over the public sensors, at /sta/v1.1/.

Things and Sensors are the sensors, Locations their positions, Datastreams their measures,
ObservedProperties the quantities, Observations the readings. Paging: ``$top``/``$skip`` with
``@iot.nextLink``; ``$count=true`` gives ``@iot.count``; ``$orderby``; ``$filter`` (query.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from mutualis.core.access import public
from mutualis.iot.models import UNITS, Quantity
from mutualis.opendata import selectors
from mutualis.opendata.query import Query, QueryError, parse

ROOT = "/sta/v1.1"
QUANTITIES = list(Quantity)  # ObservedProperty n is QUANTITIES[n - 1]
PATH = re.compile(
    r"^(?P<set>Things|Locations|Sensors|ObservedProperties|Datastreams|Observations)"
    r"(?:\((?P<id>\d+)\))?(?:/(?P<nav>[A-Za-z]+))?/?$"
)


def _link(request, path: str) -> str:
    return request.build_absolute_uri(f"{ROOT}/{path}")


def _thing(request, s) -> dict[str, Any]:
    return {
        "@iot.id": s.pk,
        "@iot.selfLink": _link(request, f"Things({s.pk})"),
        "name": s.name,
        "description": str(s.get_kind_display()),
        "properties": {
            "member": s.member.name,
            "commune": s.commune.name if s.commune else None,
            "license": selectors.LICENCE,
        },
        "Locations@iot.navigationLink": _link(request, f"Things({s.pk})/Locations"),
        "Datastreams@iot.navigationLink": _link(request, f"Things({s.pk})/Datastreams"),
    }


def _location(request, s) -> dict[str, Any]:
    return {
        "@iot.id": s.pk,
        "@iot.selfLink": _link(request, f"Locations({s.pk})"),
        "name": s.name,
        "description": s.commune.name if s.commune else "",
        "encodingType": "application/geo+json",
        "location": {"type": "Point", "coordinates": [float(s.longitude), float(s.latitude)]},
        "Things@iot.navigationLink": _link(request, f"Locations({s.pk})/Things"),
    }


def _sensor(request, s) -> dict[str, Any]:
    device = s.devices.filter(removed_on__isnull=True).first()
    model = " ".join(p for p in (device.make, device.model) if p) if device else ""
    return {
        "@iot.id": s.pk,
        "@iot.selfLink": _link(request, f"Sensors({s.pk})"),
        "name": model or s.name,
        "description": str(s.get_kind_display()),
        "encodingType": "text/plain",
        "metadata": model,
        "Datastreams@iot.navigationLink": _link(request, f"Sensors({s.pk})/Datastreams"),
    }


def _property(request, n: int) -> dict[str, Any]:
    q = QUANTITIES[n - 1]
    return {
        "@iot.id": n,
        "@iot.selfLink": _link(request, f"ObservedProperties({n})"),
        "name": str(q.label),
        "definition": q.value,
        "description": str(q.label),
        "Datastreams@iot.navigationLink": _link(request, f"ObservedProperties({n})/Datastreams"),
    }


def _datastream(request, m) -> dict[str, Any]:
    n = QUANTITIES.index(Quantity(m.quantity)) + 1
    return {
        "@iot.id": m.pk,
        "@iot.selfLink": _link(request, f"Datastreams({m.pk})"),
        "name": f"{m.sensor.name} — {m.get_quantity_display()}",
        "description": str(m.get_quantity_display()),
        "unitOfMeasurement": {
            "name": UNITS[m.quantity] or str(m.get_quantity_display()),
            "symbol": UNITS[m.quantity],
            "definition": m.quantity,
        },
        "observationType": ("http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"),
        "properties": {"license": selectors.LICENCE, "licenseUrl": selectors.LICENCE_URL},
        "Thing@iot.navigationLink": _link(request, f"Datastreams({m.pk})/Thing"),
        "Sensor@iot.navigationLink": _link(request, f"Datastreams({m.pk})/Sensor"),
        "ObservedProperty@iot.navigationLink": _link(
            request, f"Datastreams({m.pk})/ObservedProperty"
        ),
        "Observations@iot.navigationLink": _link(request, f"Datastreams({m.pk})/Observations"),
        "_property": n,
    }


def _observation(request, r) -> dict[str, Any]:
    when = r.time.isoformat().replace("+00:00", "Z")
    return {
        "@iot.id": r.pk,
        "@iot.selfLink": _link(request, f"Observations({r.pk})"),
        "phenomenonTime": when,
        "resultTime": when,
        "result": r.value,
        "Datastream@iot.navigationLink": _link(request, f"Observations({r.pk})/Datastream"),
    }


@dataclass(frozen=True)
class EntitySet:
    serialize: Any
    order: dict[str, str]  # STA name → ORM path
    filters: dict[str, str]


SETS = {
    "Things": EntitySet(_thing, {"id": "pk", "name": "name"}, {"id": "pk", "name": "name"}),
    "Locations": EntitySet(_location, {"id": "pk", "name": "name"}, {"id": "pk", "name": "name"}),
    "Sensors": EntitySet(_sensor, {"id": "pk", "name": "name"}, {"id": "pk", "name": "name"}),
    "Datastreams": EntitySet(_datastream, {"id": "pk"}, {"id": "pk", "Thing/id": "sensor_id"}),
    "Observations": EntitySet(
        _observation,
        {"id": "pk", "phenomenonTime": "time", "result": "value"},
        {
            "id": "pk",
            "phenomenonTime": "time",
            "result": "value",
            "Datastream/id": "measure_id",
        },
    ),
}


def _queryset(name: str):
    if name in ("Things", "Sensors"):
        return selectors.public_sensors().select_related("member", "commune")
    if name == "Locations":
        return (
            selectors.public_sensors()
            .filter(latitude__isnull=False, longitude__isnull=False)
            .select_related("commune")
        )
    if name == "Datastreams":
        return selectors.public_measures().select_related("sensor")
    return selectors.public_readings()


NAVIGATION = {
    # (from set, navigation) → (target set, ORM lookup from the target to the parent's id)
    ("Things", "Datastreams"): ("Datastreams", "sensor_id"),
    ("Things", "Locations"): ("Locations", "pk"),
    ("Locations", "Things"): ("Things", "pk"),
    ("Sensors", "Datastreams"): ("Datastreams", "sensor_id"),
    ("Datastreams", "Observations"): ("Observations", "measure_id"),
    ("Datastreams", "Thing"): ("Things", "measures__pk"),
    ("Datastreams", "Sensor"): ("Sensors", "measures__pk"),
    ("Observations", "Datastream"): ("Datastreams", "readings__pk"),
}


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"code": status, "type": "error", "message": message}, status=status)


def _apply(qs, entity: EntitySet, query: Query):
    for field, op, value in query.filters:
        path = entity.filters[field] + ("" if op in ("eq", "ne") else _suffix(op))
        qs = qs.exclude(**{path: value}) if op == "ne" else qs.filter(**{path: value})
    order = [("-" if desc else "") + entity.order[f] for f, desc in query.orderby]
    return qs.order_by(*order, "pk")


def _suffix(op: str) -> str:
    return {"gt": "__gt", "ge": "__gte", "lt": "__lt", "le": "__lte"}[op]


def _collection(request, items, query: Query, total) -> JsonResponse:
    body: dict[str, Any] = {}
    if query.count:
        body["@iot.count"] = total() if callable(total) else total
    page = items[: query.top]
    body["value"] = page
    if len(items) > query.top:
        params = {k: v for k, v in request.GET.items() if k != "$skip"}
        params["$skip"] = str(query.skip + query.top)
        body["@iot.nextLink"] = request.build_absolute_uri(request.path + "?" + urlencode(params))
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _strip(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if not k.startswith("_")}


@public
@require_GET
def service_root(request):
    return JsonResponse(
        {
            "value": [
                {"name": name, "url": _link(request, name)}
                for name in (*SETS, "ObservedProperties")
            ],
            "serverSettings": {
                "conformance": ["http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel"]
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


@public
@require_GET
def resource(request, path: str):
    match = PATH.match(path)
    if match is None:
        return _error(404, "Ressource inconnue.")
    name, pk, nav = match["set"], match["id"], match["nav"]
    if name == "ObservedProperties" or nav == "ObservedProperty":
        return _observed_properties(request, name, pk, nav)
    if nav:
        if pk is None or (name, nav) not in NAVIGATION:
            return _error(404, "Navigation inconnue.")
        target, lookup = NAVIGATION[(name, nav)]
        parent = _queryset(name).filter(pk=pk)
        if not parent.exists():
            return _error(404, "Entité introuvable.")
        qs = _queryset(target).filter(**{lookup: pk})
        if nav in ("Thing", "Sensor", "Datastream"):
            item = qs.first()
            if item is None:
                return _error(404, "Entité introuvable.")
            return JsonResponse(_strip(SETS[target].serialize(request, item)))
        name = target
    elif pk is not None:
        item = _queryset(name).filter(pk=pk).first()
        if item is None:
            return _error(404, "Entité introuvable.")
        return JsonResponse(
            _strip(SETS[name].serialize(request, item)), json_dumps_params={"ensure_ascii": False}
        )
    else:
        qs = _queryset(name)
    entity = SETS[name]
    try:
        query = parse(
            request.GET.dict(), orderable=set(entity.order), filterable=set(entity.filters)
        )
    except QueryError as error:
        return _error(400, str(error))
    qs = _apply(qs, entity, query)
    rows = list(qs[query.skip : query.skip + query.top + 1])
    items = [_strip(entity.serialize(request, r)) for r in rows]
    return _collection(request, items, query, qs.count)


def _observed_properties(request, name, pk, nav):
    if name == "Datastreams":  # Datastreams(n)/ObservedProperty
        measure = selectors.public_measures().filter(pk=pk).first()
        if measure is None:
            return _error(404, "Entité introuvable.")
        n = QUANTITIES.index(Quantity(measure.quantity)) + 1
        return JsonResponse(_property(request, n), json_dumps_params={"ensure_ascii": False})
    if nav == "Datastreams" and pk is not None:
        if not 1 <= int(pk) <= len(QUANTITIES):
            return _error(404, "Entité introuvable.")
        qs = selectors.public_measures().filter(quantity=QUANTITIES[int(pk) - 1].value)
        try:
            query = parse(request.GET.dict(), orderable={"id"}, filterable={"id"})
        except QueryError as error:
            return _error(400, str(error))
        qs = _apply(qs.select_related("sensor"), SETS["Datastreams"], query)
        rows = list(qs[query.skip : query.skip + query.top + 1])
        items = [_strip(_datastream(request, r)) for r in rows]
        return _collection(request, items, query, qs.count)
    if nav:
        return _error(404, "Navigation inconnue.")
    if pk is not None:
        if not 1 <= int(pk) <= len(QUANTITIES):
            return _error(404, "Entité introuvable.")
        return JsonResponse(_property(request, int(pk)), json_dumps_params={"ensure_ascii": False})
    try:
        query = parse(request.GET.dict(), orderable={"id"}, filterable=set())
    except QueryError as error:
        return _error(400, str(error))
    numbers = list(range(1, len(QUANTITIES) + 1))
    if query.orderby and query.orderby[0][1]:
        numbers.reverse()
    window = numbers[query.skip : query.skip + query.top + 1]
    items = [_property(request, n) for n in window]
    return _collection(request, items, query, len(numbers))
