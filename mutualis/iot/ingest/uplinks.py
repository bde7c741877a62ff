"""Uplink events of LoRaWAN network servers, read into one typed record.

- ChirpStack v4 (MQTT topic ``application/{application_id}/device/{dev_eui}/event/up``, or its
  HTTP integration): ``deduplicationId``, ``time``, ``deviceInfo.devEui``, ``fCnt``,
  ``fPort``, ``data`` (base64), ``object`` (decoded by the device profile's codec),
  ``rxInfo[]`` with ``gatewayId``, ``rssi``, ``snr``.
- The Things Stack v3 (``v3/{application}@{tenant}/devices/{device}/up``, or a webhook):
  ``end_device_ids.dev_eui``, ``received_at``, ``uplink_message.{f_cnt, f_port, frm_payload,
  decoded_payload, rx_metadata[]}`` with ``gateway_ids.{gateway_id, eui}``, ``rssi``, ``snr``.

Anything else raises :class:`Malformed` with a reason code; the caller quarantines it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

CHIRPSTACK = "chirpstack"
TTS = "tts"
NETWORKS = (CHIRPSTACK, TTS)

CHIRPSTACK_TOPIC = re.compile(r"^application/([^/]+)/device/([0-9a-fA-F]{16})/event/up$")
TTS_TOPIC = re.compile(r"^v3/([^/]+)/devices/([^/]+)/up$")
# Subscriptions of the ingestion workers; `$share/<group>/` spreads them over the workers.
TOPICS = ("application/+/device/+/event/up", "v3/+/devices/+/up")
EUI = re.compile(r"^[0-9a-f]{16}$")
MAX_DECODED_FIELDS = 200
MAX_DECODED_DEPTH = 8
RSSI_RANGE = (-200.0, 50.0)  # dBm
SNR_RANGE = (-50.0, 50.0)  # dB
MAX_AHEAD = dt.timedelta(days=1)  # a clock further ahead is wrong
N = TypeVar("N", int, float)


class Malformed(ValueError):
    """An uplink that cannot be read; `reason` is a short code kept with the quarantined message."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class GatewaySignal:
    gateway_id: str
    rssi: int | None
    snr: float | None


@dataclass(frozen=True)
class Uplink:
    network: str
    dev_eui: str  # 16 lowercase hexadecimal digits
    time: dt.datetime  # aware, UTC
    f_cnt: int | None
    f_port: int | None
    payload: bytes
    decoded: Mapping[str, float] = field(default_factory=dict)  # the network's decoded values
    gateways: tuple[GatewaySignal, ...] = ()
    deduplication_id: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """Two deliveries of one uplink share this key (ChirpStack's deduplicationId, else
        device + frame counter + time)."""
        if self.deduplication_id:
            return (self.dev_eui, self.deduplication_id)
        return (self.dev_eui, f"{self.f_cnt}@{self.time.isoformat()}")


def network_of_topic(topic: str) -> str | None:
    if CHIRPSTACK_TOPIC.match(topic):
        return CHIRPSTACK
    if TTS_TOPIC.match(topic):
        return TTS
    return None


def parse_message(topic: str, body: bytes) -> Uplink:
    """An MQTT message of either network server, told apart by its topic."""
    network = network_of_topic(topic)
    if network is None:
        raise Malformed("topic", f"not an uplink topic: {topic[:200]}")
    data = _json(body)
    uplink = parse_json(network, data)
    if network == CHIRPSTACK:
        match = CHIRPSTACK_TOPIC.match(topic)
        assert match is not None
        if match.group(2).lower() != uplink.dev_eui:
            raise Malformed("dev_eui", "the topic and the message name different devices")
    return uplink


def parse_json(network: str, data: Any) -> Uplink:
    if not isinstance(data, dict):
        raise Malformed("json", "the message is not a JSON object")
    if network == CHIRPSTACK:
        return _chirpstack(data)
    if network == TTS:
        return _tts(data)
    raise Malformed("network", f"unknown network server kind: {network}")


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Malformed("json", f"not JSON: {str(exc)[:100]}") from exc


def _chirpstack(data: dict[str, Any]) -> Uplink:
    device = _object(data.get("deviceInfo"), "deviceInfo")
    rx_info = _list(data.get("rxInfo"), "rxInfo")
    time_text = data.get("time")
    if time_text is None:  # no time from the gateways: the network server's own
        time_text = next((rx.get("nsTime") for rx in rx_info if isinstance(rx, dict)), None)
    return Uplink(
        network=CHIRPSTACK,
        dev_eui=_eui(device.get("devEui")),
        time=_time(time_text),
        f_cnt=_optional_int(data.get("fCnt"), "fCnt"),
        f_port=_optional_int(data.get("fPort"), "fPort"),
        payload=_base64(data.get("data")),
        decoded=flatten(data.get("object")),
        gateways=tuple(
            GatewaySignal(
                gateway_id=_text(rx.get("gatewayId"), "gatewayId").lower(),
                rssi=_signal(_optional_int(rx.get("rssi"), "rssi"), RSSI_RANGE),
                snr=_signal(_optional_float(rx.get("snr"), "snr"), SNR_RANGE),
            )
            for rx in rx_info
            if isinstance(rx, dict) and rx.get("gatewayId")
        ),
        deduplication_id=_text(data.get("deduplicationId") or "", "deduplicationId"),
    )


def _tts(data: dict[str, Any]) -> Uplink:
    ids = _object(data.get("end_device_ids"), "end_device_ids")
    message = _object(data.get("uplink_message"), "uplink_message")
    gateways = []
    for rx in _list(message.get("rx_metadata"), "rx_metadata"):
        if not isinstance(rx, dict):
            continue
        found = rx.get("gateway_ids")
        gateway_ids: dict[str, Any] = found if isinstance(found, dict) else {}
        identifier = gateway_ids.get("eui") or gateway_ids.get("gateway_id")
        if not identifier:
            continue
        rssi = rx.get("rssi", rx.get("channel_rssi"))
        gateways.append(
            GatewaySignal(
                gateway_id=_text(identifier, "gateway_ids").lower(),
                rssi=_signal(_optional_int(rssi, "rssi"), RSSI_RANGE),
                snr=_signal(_optional_float(rx.get("snr"), "snr"), SNR_RANGE),
            )
        )
    return Uplink(
        network=TTS,
        dev_eui=_eui(ids.get("dev_eui")),
        time=_time(data.get("received_at") or message.get("received_at")),
        f_cnt=_optional_int(message.get("f_cnt", 0), "f_cnt"),
        f_port=_optional_int(message.get("f_port"), "f_port"),
        payload=_base64(message.get("frm_payload")),
        decoded=flatten(message.get("decoded_payload")),
        gateways=tuple(gateways),
    )


def flatten(value: Any, prefix: str = "", depth: int = 0) -> dict[str, float]:
    """Numbers of a decoded payload by dotted path; booleans as 0/1; text and lists skipped.
    A value that is not a finite number (NaN, infinity) makes the uplink malformed."""
    out: dict[str, float] = {}
    if not isinstance(value, dict):
        return out
    if depth > MAX_DECODED_DEPTH:
        raise Malformed("decoded", f"decoded values nested deeper than {MAX_DECODED_DEPTH}")
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, bool):
            out[name] = 1.0 if item else 0.0
        elif isinstance(item, int | float):
            try:
                number = float(item)
            except OverflowError:
                number = math.inf
            if not math.isfinite(number):
                raise Malformed("value", f"{name[:60]} is not a finite number")
            out[name] = number
        elif isinstance(item, dict):
            out.update(flatten(item, f"{name}.", depth + 1))
        if len(out) > MAX_DECODED_FIELDS:
            raise Malformed("decoded", f"more than {MAX_DECODED_FIELDS} decoded values")
    return out


def _object(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed("missing", f"{name} is missing or not an object")
    return value


def _list(value: Any, name: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed("type", f"{name} is not a list")
    return value


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise Malformed("type", f"{name} is not text")
    return value[:200]


def _eui(value: Any) -> str:
    text = value.lower() if isinstance(value, str) else ""
    if not EUI.match(text):
        raise Malformed("dev_eui", f"not a DevEUI (16 hexadecimal digits): {str(value)[:40]}")
    return text


def _time(value: Any) -> dt.datetime:
    if not isinstance(value, str) or not value:
        raise Malformed("time", "no time in the message")
    try:
        moment = dt.datetime.fromisoformat(_microseconds(value))
    except ValueError as exc:
        raise Malformed("time", f"not an RFC 3339 time: {value[:60]}") from exc
    if moment.tzinfo is None:
        raise Malformed("time", f"a time without its offset: {value[:60]}")
    try:
        moment = moment.astimezone(dt.UTC)
    except OverflowError as exc:
        raise Malformed("time", f"out of range: {value[:60]}") from exc
    if moment > dt.datetime.now(dt.UTC) + MAX_AHEAD:
        raise Malformed("time", f"in the future: {value[:60]}")
    return moment


def _microseconds(text: str) -> str:
    """Network servers give nanoseconds: keep six digits of the fraction."""
    return re.sub(r"(\.\d{6})\d+", r"\1", text)


def _signal(value: N | None, bounds: tuple[float, float]) -> N | None:
    """A signal figure out of any radio's range is noise: dropped, not stored."""
    if value is None or not bounds[0] <= value <= bounds[1]:
        return None
    return value


def _optional_int(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Malformed("type", f"{name} is not a whole number")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise Malformed("type", f"{name} is not a whole number")
    return int(value)


def _optional_float(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Malformed("type", f"{name} is not a number")
    return float(value)


def _base64(value: Any) -> bytes:
    if value in (None, ""):
        return b""
    if not isinstance(value, str):
        raise Malformed("payload", "the payload is not base64 text")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Malformed("payload", "the payload is not valid base64") from exc
