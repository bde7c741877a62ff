"""Cayenne Low Power Payload (LPP v1): a frame is a run of (channel, type, data) items.

Each value is big-endian, scaled as the LPP specification says; the result maps
``<name>_<channel>`` to a number (``temperature_3``: 27.2), and for the types of several
axes ``<name>_<channel>.<axis>`` (``gps_1.latitude``).
"""

from __future__ import annotations

from dataclasses import dataclass


class LppError(ValueError):
    """A frame that is not Cayenne LPP: an unknown type, or an item cut short."""


@dataclass(frozen=True)
class LppType:
    code: int
    name: str
    fields: tuple[str, ...]  # one per value; "" for a single value
    size: int  # bytes per value
    signed: bool
    divisor: int


TYPES: dict[int, LppType] = {
    t.code: t
    for t in (
        LppType(0, "digital_input", ("",), 1, False, 1),
        LppType(1, "digital_output", ("",), 1, False, 1),
        LppType(2, "analog_input", ("",), 2, True, 100),
        LppType(3, "analog_output", ("",), 2, True, 100),
        LppType(101, "illuminance", ("",), 2, False, 1),
        LppType(102, "presence", ("",), 1, False, 1),
        LppType(103, "temperature", ("",), 2, True, 10),
        LppType(104, "humidity", ("",), 1, False, 2),
        LppType(113, "accelerometer", ("x", "y", "z"), 2, True, 1000),
        LppType(115, "barometer", ("",), 2, False, 10),
        LppType(134, "gyrometer", ("x", "y", "z"), 2, True, 100),
        LppType(136, "gps", ("latitude", "longitude", "altitude"), 3, True, 0),
    )
}
# GPS: latitude and longitude in 0.0001°, altitude in 0.01 m.
GPS_DIVISORS = (10_000, 10_000, 100)


def _scaled(raw: int, divisor: int) -> float | int:
    return raw if divisor == 1 else raw / divisor


def decode(payload: bytes) -> dict[str, float | int]:
    """The values of an LPP frame; raises LppError on anything else."""
    values: dict[str, float | int] = {}
    position = 0
    while position < len(payload):
        if position + 2 > len(payload):
            raise LppError(f"item cut short at byte {position}")
        channel, code = payload[position], payload[position + 1]
        kind = TYPES.get(code)
        if kind is None:
            raise LppError(f"unknown LPP type {code} at byte {position + 1}")
        position += 2
        end = position + kind.size * len(kind.fields)
        if end > len(payload):
            raise LppError(f"{kind.name} on channel {channel} cut short")
        for index, field in enumerate(kind.fields):
            chunk = payload[position + index * kind.size : position + (index + 1) * kind.size]
            raw = int.from_bytes(chunk, "big", signed=kind.signed)
            divisor = GPS_DIVISORS[index] if kind.code == 136 else kind.divisor
            key = f"{kind.name}_{channel}" + (f".{field}" if field else "")
            values[key] = _scaled(raw, divisor)
        position = end
    return values


def encode(items: list[tuple[int, int, tuple[int, ...]]]) -> bytes:
    """A frame from raw (unscaled) integers: (channel, type, values). For tests and simulators."""
    frame = bytearray()
    for channel, code, raws in items:
        kind = TYPES[code]
        if len(raws) != len(kind.fields):
            raise LppError(f"{kind.name} takes {len(kind.fields)} values")
        frame += bytes((channel, code))
        for raw in raws:
            frame += raw.to_bytes(kind.size, "big", signed=kind.signed)
    return bytes(frame)
