"""Storing uplinks: values mapped to the sensors' measures, written in batches.

Idempotent: a reading is unique per sensor, measure and time, and inserted ignoring conflicts,
so an uplink delivered twice (an MQTT redelivery, a webhook retried) is stored once. Order does
not matter: a late uplink lands at its own time. Anything that cannot be stored goes to the
quarantine table with its reason; nothing here raises on a bad message.

The writes are set-based (`ingest_store`). On PostgreSQL the batch is copied into a temporary
table and one statement inserts the readings and folds the values it really wrote into the
rollups, in the same transaction; on SQLite the touched hours and days are recomputed
afterwards.

A long-running worker resolves DevEUIs (and knows the gateways already registered) through a
:class:`DeviceDirectory` (an in-process cache, refreshed after `ttl` seconds); the webhook
reads the referential afresh at each request.
"""

import datetime as dt
import hashlib
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, connection, transaction

from mutualis.iot import ingest_store
from mutualis.iot.ingest.lpp import LppError
from mutualis.iot.ingest.lpp import decode as decode_lpp
from mutualis.iot.ingest.uplinks import Malformed, Uplink, parse_json, parse_message
from mutualis.iot.models import (
    Decoder,
    Device,
    DeviceModel,
    Measure,
    Quantity,
    QuarantinedMessage,
    QuarantineReason,
)
from mutualis.iot.rollups import rollups_refresh

logger = logging.getLogger(__name__)
MAX_BODY = 4000  # characters of a quarantined message kept
MAX_MESSAGE_BYTES = 64 * 1024  # an uplink event is ~1-2 kB: anything past this is set aside
CHANNEL_SUFFIX = re.compile(r"_\d+$")
QUANTITIES = frozenset(Quantity.values)


@dataclass(frozen=True)
class Message:
    """A message as it came: by MQTT (topic) or HTTP (network kind). `size` is the size it
    came with when only its head was kept (a message too large to be an uplink)."""

    body: bytes
    topic: str = ""
    network: str = ""
    source: str = "mqtt"
    size: int = 0

    @classmethod
    def received(cls, body: bytes, **fields) -> "Message":
        """A message as received, oversized ones cut at once (memory stays bounded)."""
        if len(body) > MAX_MESSAGE_BYTES:
            return cls(body=body[:MAX_BODY], size=len(body), **fields)
        return cls(body=body, **fields)


@dataclass
class IngestResult:
    uplinks: int = 0
    readings: int = 0  # rows offered to the table (duplicates included)
    quarantined: Counter = field(default_factory=Counter)


@dataclass(frozen=True)
class Target:
    """Where a device's values go: its sensor, the sensor's measures, its model's decoding."""

    sensor_id: int
    active: bool
    measures: dict[str, int]
    device_model: DeviceModel | None


class DeviceDirectory:
    """DevEUI → :class:`Target`. Known devices are kept `ttl` seconds (0: never kept); an
    unknown DevEUI is looked up again at each batch, all of a batch's in one query each."""

    def __init__(self, ttl: float = 0.0):
        self.ttl = ttl
        self._targets: dict[str, Target] = {}
        self._loaded_at = 0.0
        self.gateways: set[str] = set()  # identifiers of gateways registered

    def resolve(self, dev_euis: set[str]) -> dict[str, Target]:
        if self.ttl <= 0 or time.monotonic() - self._loaded_at > self.ttl:
            self._targets = {}
            self.gateways = set()
            self._loaded_at = time.monotonic()
        missing = dev_euis - self._targets.keys()
        if missing:
            self._targets.update(_targets(missing))
        return {eui: self._targets[eui] for eui in dev_euis if eui in self._targets}


def _targets(dev_euis: set[str]) -> dict[str, Target]:
    rows = list(
        Device.objects.filter(dev_eui__in=dev_euis).values_list(
            "dev_eui", "sensor_id", "sensor__active", "make", "model", "generation"
        )
    )
    if not rows:
        return {}
    makes = {row[3] for row in rows if row[3]}
    device_models = {
        (m.make, m.model, m.generation): m for m in DeviceModel.objects.filter(make__in=makes)
    }
    measures: dict[int, dict[str, int]] = {}
    for pk, sensor_id, quantity in Measure.objects.filter(
        sensor_id__in={row[1] for row in rows}
    ).values_list("pk", "sensor_id", "quantity"):
        measures.setdefault(sensor_id, {})[quantity] = pk
    return {
        eui: Target(
            sensor_id=sensor_id,
            active=active,
            measures=measures.get(sensor_id, {}),
            device_model=device_models.get((make, model, generation)),
        )
        for eui, sensor_id, active, make, model, generation in rows
    }


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
        if quantity is None and name in QUANTITIES:
            quantity = name
        if quantity is None and CHANNEL_SUFFIX.sub("", name) in QUANTITIES:
            quantity = CHANNEL_SUFFIX.sub("", name)
        if quantity in QUANTITIES:
            values.setdefault(quantity, value)
    return values


class _Batch:
    """What one batch writes: readings as columns, sensors and gateways last seen, and the
    quarantined messages."""

    def __init__(self) -> None:
        self.result = IngestResult()
        self.sensor_ids: list[int] = []
        self.measure_ids: list[int] = []
        self.times: list[dt.datetime] = []
        self.values: list[float] = []
        self.sensors_seen: dict[int, dt.datetime] = {}
        self.gateways_seen: dict[str, tuple[dt.datetime, int | None, float | None]] = {}
        self.quarantine: list[QuarantinedMessage] = []

    def set_aside(self, message: Message, reason: str, detail: str, dev_eui: str = "") -> None:
        self.result.quarantined[reason] += 1
        digest = hashlib.sha256(f"{message.network}|{message.topic}|".encode() + message.body)
        if message.size:
            digest.update(f"|{message.size}".encode())
        self.quarantine.append(
            QuarantinedMessage(
                source=message.source,
                network=message.network,
                topic=message.topic[:300],
                dev_eui=dev_eui,
                reason=reason,
                detail=detail[:300],
                body=message.body[:MAX_BODY].decode("utf-8", "replace").replace("\x00", "\ufffd"),
                fingerprint=digest.hexdigest(),
            )
        )

    def add(self, uplink: Uplink, target: Target, values: dict[str, float]) -> None:
        self.result.uplinks += 1
        sensor_id = target.sensor_id
        seen = self.sensors_seen.get(sensor_id)
        if seen is None or uplink.time > seen:
            self.sensors_seen[sensor_id] = uplink.time
        for quantity, value in values.items():
            measure_id = target.measures.get(quantity)
            if measure_id is not None:
                self.sensor_ids.append(sensor_id)
                self.measure_ids.append(measure_id)
                self.times.append(uplink.time)
                self.values.append(value)

    def relayed(self, uplink: Uplink) -> None:
        """The gateways that relayed an uplink are alive, whatever becomes of the uplink."""
        for signal in uplink.gateways:
            known = self.gateways_seen.get(signal.gateway_id)
            if known is None or uplink.time > known[0]:
                self.gateways_seen[signal.gateway_id] = (uplink.time, signal.rssi, signal.snr)


def _parse(message: Message) -> Uplink:
    if message.size:
        raise Malformed("size", f"{message.size} bytes: too large for an uplink")
    if message.topic:
        return parse_message(message.topic, message.body)
    return parse_json(message.network, _json(message.body))


def ingest(messages: Iterable[Message], directory: DeviceDirectory | None = None) -> IngestResult:
    """Parses and stores a batch of messages in one transaction. Should the database refuse
    the batch (a value out of its range, a time without its partition), each message is
    stored on its own, and the one it refuses set aside with the database's reason."""
    messages = list(messages)
    try:
        return _ingest(messages, directory)
    except (DataError, IntegrityError) as exc:
        if len(messages) == 1:
            batch = _Batch()
            batch.set_aside(messages[0], QuarantineReason.MALFORMED, f"refused: {exc}")
            with transaction.atomic():
                QuarantinedMessage.objects.bulk_create(batch.quarantine, ignore_conflicts=True)
            return batch.result
    result = IngestResult()
    for message in messages:
        one = ingest([message], directory)
        result.uplinks += one.uplinks
        result.readings += one.readings
        result.quarantined.update(one.quarantined)
    return result


def _ingest(messages: list[Message], directory: DeviceDirectory | None) -> IngestResult:
    batch = _Batch()
    parsed: list[tuple[Message, Uplink]] = []
    for message in messages:
        try:
            parsed.append((message, _parse(message)))
        except Malformed as exc:
            batch.set_aside(message, QuarantineReason.MALFORMED, f"{exc.reason}: {exc.detail}")
    directory = directory or DeviceDirectory()
    targets = directory.resolve({u.dev_eui for _m, u in parsed})
    for message, uplink in parsed:
        batch.relayed(uplink)
        target = targets.get(uplink.dev_eui)
        if target is None:
            batch.set_aside(message, QuarantineReason.UNKNOWN_DEVICE, "", uplink.dev_eui)
            continue
        if not target.active:
            batch.set_aside(message, QuarantineReason.INACTIVE_SENSOR, "", uplink.dev_eui)
            continue
        try:
            values = values_for(uplink, target.device_model)
        except LppError as exc:
            batch.set_aside(message, QuarantineReason.UNDECODED, str(exc), uplink.dev_eui)
            continue
        batch.add(uplink, target, values)
    batch.result.readings = len(batch.values)
    columns = (batch.sensor_ids, batch.measure_ids, batch.times, batch.values)
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        if postgres:  # readings, rollups, sensors: one statement
            ingest_store.readings_store(*columns, batch.sensors_seen)
        else:
            ingest_store.readings_insert(*columns)
            ingest_store.sensors_seen(batch.sensors_seen)
        if batch.quarantine:
            QuarantinedMessage.objects.bulk_create(
                batch.quarantine, batch_size=500, ignore_conflicts=True
            )
        ingest_store.gateways_seen(batch.gateways_seen, directory.gateways)
    directory.gateways.update(batch.gateways_seen)
    if not postgres:  # SQLite: once committed, the touched hours and days recomputed
        rollups_refresh(zip(batch.sensor_ids, batch.measure_ids, batch.times, strict=True))
    return batch.result


def _json(body: bytes):
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Malformed("json", f"not JSON: {str(exc)[:100]}") from exc
