"""Storing uplinks: values mapped to the sensors' measures, written in batches.

Idempotent: a reading is unique per sensor, measure and time, and inserted ignoring conflicts,
so an uplink delivered twice (an MQTT redelivery, a webhook retried) is stored once. Order does
not matter: a late uplink lands at its own time. Anything that cannot be stored goes to the
quarantine table with its reason; nothing here raises on a bad message.
"""

import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from mutualis.iot.ingest.lpp import LppError
from mutualis.iot.ingest.lpp import decode as decode_lpp
from mutualis.iot.ingest.uplinks import Malformed, Uplink, parse_json, parse_message
from mutualis.iot.models import (
    Decoder,
    Device,
    DeviceModel,
    Gateway,
    Measure,
    Quantity,
    QuarantinedMessage,
    QuarantineReason,
    Reading,
    Sensor,
)
from mutualis.iot.rollups import rollups_refresh

logger = logging.getLogger(__name__)
MAX_BODY = 4000
CHANNEL_SUFFIX = re.compile(r"_\d+$")


@dataclass(frozen=True)
class Message:
    """A message as it came: by MQTT (topic) or HTTP (network kind)."""

    body: bytes
    topic: str = ""
    network: str = ""
    source: str = "mqtt"


@dataclass
class IngestResult:
    uplinks: int = 0
    readings: int = 0  # rows offered to the table (duplicates included)
    quarantined: Counter = field(default_factory=Counter)


def values_for(uplink: Uplink, device_model: DeviceModel | None) -> dict[str, float]:
    """The uplink's values by quantity, through the model's field map.

    A field is taken by the map first, then by its own name when that names a quantity
    (`temperature`), then without its LPP channel (`temperature_1`)."""
    if device_model is not None and device_model.decoder == Decoder.LPP and uplink.payload:
        raw = {name: float(value) for name, value in decode_lpp(uplink.payload).items()}
    else:
        raw = dict(uplink.decoded)
    field_map = device_model.field_map if device_model is not None else {}
    values: dict[str, float] = {}
    for name, value in raw.items():
        quantity = field_map.get(name)
        if quantity is None and name in Quantity.values:
            quantity = name
        if quantity is None and CHANNEL_SUFFIX.sub("", name) in Quantity.values:
            quantity = CHANNEL_SUFFIX.sub("", name)
        if quantity in Quantity.values:
            values.setdefault(quantity, value)
    return values


def ingest(messages: Iterable[Message]) -> IngestResult:
    """Parses and stores a batch of messages in one transaction."""
    result = IngestResult()
    parsed: list[tuple[Message, Uplink]] = []
    quarantine: list[QuarantinedMessage] = []

    def set_aside(message: Message, reason: str, detail: str, dev_eui: str = "") -> None:
        result.quarantined[reason] += 1
        quarantine.append(
            QuarantinedMessage(
                source=message.source,
                network=message.network,
                topic=message.topic[:300],
                dev_eui=dev_eui,
                reason=reason,
                detail=detail[:300],
                body=message.body[:MAX_BODY].decode("utf-8", "replace"),
                fingerprint=hashlib.sha256(
                    f"{message.network}|{message.topic}|".encode() + message.body
                ).hexdigest(),
            )
        )

    for message in messages:
        try:
            if message.topic:
                uplink = parse_message(message.topic, message.body)
            else:
                uplink = parse_json(message.network, _json(message.body))
        except Malformed as exc:
            set_aside(message, QuarantineReason.MALFORMED, f"{exc.reason}: {exc.detail}")
            continue
        parsed.append((message, uplink))

    devices = {
        d.dev_eui: d
        for d in Device.objects.filter(dev_eui__in={u.dev_eui for _m, u in parsed}).select_related(
            "sensor"
        )
    }
    models = _device_models(devices.values())
    measures = _measures({d.sensor_id for d in devices.values()})
    readings: list[Reading] = []
    last_seen: dict[int, object] = {}
    for message, uplink in parsed:
        device = devices.get(uplink.dev_eui)
        if device is None:
            set_aside(message, QuarantineReason.UNKNOWN_DEVICE, "", uplink.dev_eui)
            continue
        if not device.sensor.active:
            set_aside(message, QuarantineReason.INACTIVE_SENSOR, "", uplink.dev_eui)
            continue
        try:
            values = values_for(uplink, models.get((device.make, device.model, device.generation)))
        except LppError as exc:
            set_aside(message, QuarantineReason.UNDECODED, str(exc), uplink.dev_eui)
            continue
        result.uplinks += 1
        sensor_id = device.sensor_id
        if sensor_id not in last_seen or uplink.time > last_seen[sensor_id]:  # type: ignore[operator]
            last_seen[sensor_id] = uplink.time
        for quantity, value in values.items():
            measure_id = measures.get((sensor_id, quantity))
            if measure_id is not None:
                readings.append(
                    Reading(
                        sensor_id=sensor_id, measure_id=measure_id, time=uplink.time, value=value
                    )
                )
    result.readings = len(readings)
    with transaction.atomic():
        Reading.objects.bulk_create(readings, batch_size=1000, ignore_conflicts=True)
        QuarantinedMessage.objects.bulk_create(quarantine, batch_size=500, ignore_conflicts=True)
        for sensor_id, moment in last_seen.items():
            Sensor.objects.filter(pk=sensor_id).filter(
                Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=moment)
            ).update(last_seen_at=moment)
        _gateways_seen([u for _m, u in parsed])
    # Once the readings are committed: their hours' and days' rollups (rollups.py).
    rollups_refresh((r.sensor_id, r.measure_id, r.time) for r in readings)
    return result


def _json(body: bytes):
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise Malformed("json", f"not JSON: {exc}") from exc


def _device_models(devices) -> dict[tuple[str, str, str], DeviceModel]:
    makes = {d.make for d in devices if d.make}
    return {(m.make, m.model, m.generation): m for m in DeviceModel.objects.filter(make__in=makes)}


def _measures(sensor_ids) -> dict[tuple[int, str], int]:
    return {
        (sensor_id, quantity): pk
        for pk, sensor_id, quantity in Measure.objects.filter(sensor_id__in=sensor_ids).values_list(
            "pk", "sensor_id", "quantity"
        )
    }


def _gateways_seen(uplinks: list[Uplink]) -> None:
    """Each gateway's latest sighting in the batch; a gateway not yet known is registered
    (operator's, named by its identifier) for the operator to complete."""
    latest: dict[str, tuple] = {}
    for uplink in uplinks:
        for signal in uplink.gateways:
            known = latest.get(signal.gateway_id)
            if known is None or uplink.time > known[0]:
                latest[signal.gateway_id] = (uplink.time, signal.rssi, signal.snr)
    if not latest:
        return
    existing = set(Gateway.objects.filter(eui__in=latest).values_list("eui", flat=True))
    Gateway.objects.bulk_create(
        [Gateway(eui=eui) for eui in latest if eui not in existing], ignore_conflicts=True
    )
    for eui, (moment, rssi, snr) in latest.items():
        Gateway.objects.filter(eui=eui).filter(
            Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=moment)
        ).update(last_seen_at=moment, last_rssi=rssi, last_snr=snr)
