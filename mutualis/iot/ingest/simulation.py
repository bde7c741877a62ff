"""A plausible fleet of a territory's sensors: what each kind measures over time, and the
ChirpStack v4 uplink events that carry it (the demo's history, `mutualis iot simulate`, the
ingestion benchmark).

Values are functions of time and of a sensor's seed, computed with NumPy over whole arrays
(a sensor's history, a fleet at one instant): the same sensor gives the same value at the same
hour whether it is drawn for the history or published live. Cumulative quantities (a water
meter's index, a PV inverter's energy) never go back.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # a Thursday
HOUR = 3600.0
TAU = 2 * math.pi


@dataclass(frozen=True)
class Profile:
    """A kind of sensor of the fleet: the referential's kind, its measures, its device."""

    code: str
    kind: str  # mutualis.iot.models.SensorKind
    quantities: tuple[str, ...]
    make: str
    model: str
    interval_minutes: int
    fields: tuple[str, ...]  # the names of the decoded values, in the order of `quantities`
    f_port: int = 2


PROFILES: dict[str, Profile] = {
    p.code: p
    for p in (
        Profile(
            "water_meter",
            "water_meter",
            ("water_volume", "battery"),
            "Diehl",
            "IZAR R4",
            60,
            ("index_m3", "battery_v"),
        ),
        Profile(
            "school_room",
            "comfort",
            ("temperature", "humidity", "co2", "battery"),
            "Elsys",
            "ERS CO2",
            15,
            ("temperature", "humidity", "co2", "vdd_v"),
        ),
        Profile(
            "pv",
            "energy_meter",
            ("energy", "power"),
            "Socomec",
            "Countis E",
            15,
            ("energy_kwh", "power_w"),
        ),
        Profile(
            "lighting",
            "energy_meter",
            ("energy", "power"),
            "Adeunis",
            "Pulse",
            60,
            ("energy_kwh", "power_w"),
        ),
        Profile(
            "air_quality",
            "air_quality",
            ("co2", "temperature", "humidity", "pressure", "noise"),
            "Milesight",
            "AM319",
            10,
            ("co2", "temperature", "humidity", "pressure", "noise"),
        ),
        # The benchmark's sensor: six values an uplink (Elsys ERS CO2 with its motion sensor).
        Profile(
            "office",
            "comfort",
            ("temperature", "humidity", "co2", "illuminance", "presence", "battery"),
            "Elsys",
            "ERS CO2 Lite",
            10,
            ("temperature", "humidity", "co2", "illuminance", "presence", "battery"),
        ),
    )
}


def field_map(profile: Profile) -> dict[str, str]:
    """The device model's correspondence, decoded name → quantity, where they differ."""
    return {f: q for f, q in zip(profile.fields, profile.quantities, strict=True) if f != q}


def hours(moment: dt.datetime) -> float:
    return (moment - EPOCH).total_seconds() / HOUR


def _unit(seeds: Array, salt: float) -> Array:
    """A deterministic number in [0, 1) per seed (a golden-ratio sequence)."""
    return np.asarray(np.modf(seeds * 0.6180339887498949 + salt * 0.7548776662466927)[0])


def values(
    profile: Profile, seeds: Array, at_hours: Array, leak_since: float | None = None
) -> dict[str, Array]:
    """Each quantity of `profile` for sensors `seeds` at `at_hours` (hours since EPOCH, UTC),
    broadcast together (a column of seeds against a row of hours gives a sensor × time table).
    `leak_since`: a water leak of 0.35 m³/h from that hour on."""
    h = np.asarray(at_hours, dtype=np.float64)
    s = np.asarray(seeds, dtype=np.float64)
    u1, u2, u3 = _unit(s, 1), _unit(s, 2), _unit(s, 3)
    local = np.mod(h + 1.0, 24.0)  # Paris in winter
    day = np.floor((h + 1.0) / 24.0)
    weekday = np.mod(day + 3, 7)  # 0: Monday
    out: dict[str, Array]
    if profile.code == "water_meter":
        rate = 0.004 + 0.06 * u1
        wave = 0.8 * np.sin(TAU * (h - 7.0) / 24.0) * 24.0 / TAU
        index = 120.0 + 900.0 * u2 + rate * (h + wave)
        if leak_since is not None:
            index = index + 0.35 * np.clip(h - leak_since, 0.0, None)
        battery = np.where(u3 > 0.97, 3.05, 3.62 - 0.0000114 * (h + 8760 * u3))
        out = {"water_volume": index, "battery": battery}
    elif profile.code in ("school_room", "office"):
        occupied = ((weekday < 5) & (local >= 8) & (local < 17)).astype(np.float64)
        heated = ((weekday < 5) & (local >= 6) & (local < 18)).astype(np.float64)
        temperature = 16.5 + 3.8 * heated + 0.7 * np.sin(TAU * (local - 9) / 24) + 1.4 * (u1 - 0.5)
        presence_curve = np.clip(np.sin(math.pi * (local - 8) / 9), 0, None)
        co2 = 420 + occupied * (350 + 750 * u2) * presence_curve + 15 * np.sin(h)
        humidity = 46 + 7 * np.sin(TAU * h / 168) + 8 * (u3 - 0.5) + 4 * occupied
        battery = np.where(u3 > 0.975, 3.08, 3.64 - 0.0000114 * (h + 8760 * u1))
        out = {
            "temperature": temperature,
            "humidity": humidity,
            "co2": co2,
            "battery": battery,
        }
        if profile.code == "office":
            out["illuminance"] = 30 + occupied * (250 + 350 * u2) + 200 * presence_curve
            out["presence"] = occupied * (np.sin(h * 7.3 + u1 * 10) > -0.3)
    elif profile.code == "pv":
        peak = 3000.0 + 33000.0 * u1
        sun_hours = np.clip(local - 7.5, 0.0, 9.0)
        cloud = 0.55 + 0.45 * np.sin(day * 1.7 + 10 * u2) ** 2
        power = peak * np.sin(math.pi * sun_hours / 9.0) * cloud
        partial = 9.0 / math.pi * (1 - np.cos(math.pi * sun_hours / 9.0))
        energy = 5000 * u3 + peak / 1000 * 0.78 * (day * 9.0 * 2 / math.pi + partial)
        out = {"energy": energy, "power": power}
    elif profile.code == "lighting":
        nominal = 400.0 + 4200.0 * u1
        dimmed = (local < 5).astype(np.float64)
        on = ((local >= 18) | (local < 7)).astype(np.float64)
        power = nominal * on * (1 - 0.5 * dimmed)
        on_hours = (
            0.5 * np.minimum(local, 5.0) + np.clip(local - 5, 0, 2) + np.clip(local - 18, 0, 6)
        )
        energy = 2000 * u2 + nominal / 1000 * (day * 10.5 + on_hours)
        out = {"energy": energy, "power": power}
    elif profile.code == "air_quality":
        daytime = np.sin(TAU * (local - 9) / 24)
        traffic = np.clip(np.sin(math.pi * (local - 6) / 14), 0, None) * (weekday < 5)
        out = {
            "co2": 412 + 60 * traffic + 10 * u1,
            "temperature": 8.5 + 4.5 * daytime + 2 * u2,
            "humidity": 76 - 14 * daytime + 4 * u3,
            "pressure": 1016 + 9 * np.sin(TAU * h / 120 + 6 * u1),
            "noise": 41 + 24 * traffic + 3 * u2,
        }
    else:
        raise ValueError(f"unknown profile {profile.code}")
    return {
        q: np.round(np.asarray(out[q], dtype=np.float64), 3).astype(np.float64)
        for q in profile.quantities
    }


def decoded(profile: Profile, quantities: dict[str, float]) -> dict[str, float | int]:
    """The values as the device profile's codec names them (a presence as 0/1)."""
    named: dict[str, float | int] = {}
    for name, quantity in zip(profile.fields, profile.quantities, strict=True):
        value = quantities[quantity]
        named[name] = int(value) if quantity == "presence" else value
    return named


def chirpstack_uplink(
    *,
    application_id: str,
    dev_eui: str,
    device_name: str,
    profile: Profile,
    moment: dt.datetime,
    f_cnt: int,
    values: dict[str, float],
    gateway_id: str,
    rssi: int,
    snr: float,
) -> tuple[str, bytes]:
    """(topic, body) of a ChirpStack v4 uplink event, as its MQTT integration publishes it."""
    time = moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    body = {
        "deduplicationId": f"{dev_eui}-{f_cnt}-{int(moment.timestamp())}",
        "time": time,
        "deviceInfo": {
            "tenantId": "52f14cd4-c6f1-4fbd-8f87-4025e1d49242",
            "tenantName": "Réseau LoRa mutualisé",
            "applicationId": application_id,
            "applicationName": "capteurs",
            "deviceProfileId": "14855bf7-d10d-4aee-b618-ebfcb64dc7ad",
            "deviceProfileName": f"{profile.make} {profile.model}",
            "deviceName": device_name,
            "devEui": dev_eui,
        },
        "devAddr": dev_eui[-8:],
        "adr": True,
        "dr": 5,
        "fCnt": f_cnt,
        "fPort": profile.f_port,
        "confirmed": False,
        "data": base64.b64encode(f_cnt.to_bytes(4, "big")).decode(),
        "object": decoded(profile, values),
        "rxInfo": [
            {
                "gatewayId": gateway_id,
                "uplinkId": f_cnt % 65536,
                "nsTime": time,
                "rssi": rssi,
                "snr": snr,
                "channel": f_cnt % 8,
                "crcStatus": "CRC_OK",
            }
        ],
        "txInfo": {"frequency": 868100000 + 200000 * (f_cnt % 3)},
    }
    topic = f"application/{application_id}/device/{dev_eui}/event/up"
    return topic, json.dumps(body, separators=(",", ":")).encode()
