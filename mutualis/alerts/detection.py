"""The detection job: stored readings → the pure rules (mutualis.detection) → alerts.

Water meters are read in chunks of sensors (memory stays bounded), their registers laid out
as hourly columns from a local midnight ``days`` days before ``until``; alarms raised in the
last ``recent_hours`` open or update alerts (older ones were the business of earlier runs).
Silence is checked on every active sensor; inactivity only on the meters of homes with an
active consent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from mutualis.alerts import services
from mutualis.alerts.models import Cause, MonitoringConsent
from mutualis.detection.alarms import RULES
from mutualis.detection.leaks import detect_leaks
from mutualis.detection.presence import inactivity, silent
from mutualis.detection.series import HOURS_PER_DAY, Hourly, from_index
from mutualis.iot.models import Quantity, Reading, Sensor, SensorKind

CHUNK = 500
HOUR = dt.timedelta(hours=1)


@dataclass
class Outcome:
    sensors: int = 0
    opened: int = 0
    updated: int = 0
    suppressed: dict[str, int] = field(default_factory=dict)

    def count(self, raised: services.Raised) -> None:
        if raised.alert is None:
            self.suppressed[raised.reason] = self.suppressed.get(raised.reason, 0) + 1
        elif raised.opened:
            self.opened += 1
        else:
            self.updated += 1


def window_start(until: dt.datetime, days: int) -> dt.datetime:
    local = timezone.localtime(until - dt.timedelta(days=days))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def registers(sensor_ids: list[int], start: dt.datetime, hours: int) -> np.ndarray:
    """The water registers (m³) of ``sensor_ids``, one row each, one column per hour from
    ``start`` (the last reading of the hour), NaN where none."""
    out = np.full((len(sensor_ids), hours), np.nan)
    row = {pk: i for i, pk in enumerate(sensor_ids)}
    rows = Reading.objects.filter(
        sensor_id__in=sensor_ids,
        measure__quantity=Quantity.WATER_VOLUME,
        time__gte=start,
        time__lt=start + hours * HOUR,
    ).values_list("sensor_id", "time", "value")
    for sensor_id, time, value in rows.iterator(chunk_size=10_000):
        column = int((time - start) // HOUR)
        out[row[sensor_id], column] = value
    return out


def run(*, until: dt.datetime, days: int = 35, recent_hours: int = 48, progress=None) -> Outcome:
    outcome = Outcome()
    start = window_start(until, days)
    elapsed = int((until - start) // HOUR)  # hours read up to `until`
    hours = -(-elapsed // HOURS_PER_DAY) * HOURS_PER_DAY  # whole days; the rest unread
    meters = list(
        Sensor.objects.filter(
            kind=SensorKind.WATER_METER, active=True, measures__quantity=Quantity.WATER_VOLUME
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    consented = set(MonitoringConsent.objects.active().values_list("sensor_id", flat=True))
    first_weekday = start.weekday()
    for first in range(0, len(meters), CHUNK):
        ids = meters[first : first + CHUNK]
        block = from_index(registers(ids, start, hours), first_weekday=first_weekday, scale=1000)
        found = detect_leaks(block)
        homes = [i for i, pk in enumerate(ids) if pk in consented]
        if homes:
            idle = inactivity(Hourly(block.flow[homes], block.observed[homes], first_weekday))
            idle_meters = np.asarray(homes)[idle.meter]
            found_meter = np.concatenate([found.meter, idle_meters])
            found_hour = np.concatenate([found.hour, idle.hour])
            found_rule = np.concatenate([found.rule, idle.rule])
            found_excess = np.concatenate([found.excess, idle.excess])
        else:
            found_meter, found_hour, found_rule, found_excess = (
                found.meter,
                found.hour,
                found.rule,
                found.excess,
            )
        recent = (found_hour >= elapsed - recent_hours) & (found_hour < elapsed)
        sensors = Sensor.objects.in_bulk(ids)
        for m, h, r, x in zip(
            found_meter[recent],
            found_hour[recent],
            found_rule[recent],
            found_excess[recent],
            strict=True,
        ):
            at = start + (int(h) + 1) * HOUR
            outcome.count(
                services.alert_raise(
                    sensor=sensors[ids[int(m)]],
                    cause=RULES[int(r)],
                    at=at,
                    measured=float(x),
                    window=(at - dt.timedelta(days=7), at),
                )
            )
        outcome.sensors += len(ids)
        if progress:
            progress(done=outcome.sensors, total=len(meters))
    _silences(until, outcome)
    services.alerts_escalate(now=until)
    services.purge_expired(now=until)
    return outcome


def _silences(until: dt.datetime, outcome: Outcome) -> None:
    sensors = list(Sensor.objects.filter(active=True, last_seen_at__isnull=False))
    if not sensors:
        return
    last = np.array([s.last_seen_at.timestamp() for s in sensors])
    interval = np.array([s.reporting_minutes * 60.0 for s in sensors])
    quiet = silent(last, interval, until.timestamp())
    for sensor, is_silent in zip(sensors, quiet, strict=True):
        if is_silent:
            outcome.count(
                services.alert_raise(
                    sensor=sensor,
                    cause=Cause.SILENCE,
                    at=until,
                    measured=(until - sensor.last_seen_at).total_seconds() / 3600,
                    window=(sensor.last_seen_at - dt.timedelta(days=2), until),
                )
            )
