"""The detection job: stored readings → the pure rules (mutualis.detection) → alerts.

Water meters are read in chunks of sensors (memory stays bounded), their registers laid out
as hourly columns of **local wall-clock time** from a local midnight ``days`` days before
``until`` (:class:`Grid`: column ``c`` is hour ``c % 24`` of day ``c // 24``, whatever the
clock changes — the night window 00:00–06:00 stays the night); alarms raised in the last
``recent_hours`` open or update alerts (older ones were the business of earlier runs).
Silence is checked on every active sensor; inactivity only on the meters of homes with an
active consent. The district meters of sectors are left to the network balance, and the
buildings with a heating profile to the heating rules (detection_energy.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from mutualis.alerts import services
from mutualis.alerts.detection_energy import heating_run, sectors_run
from mutualis.alerts.models import Cause, MeterSector, MonitoringConsent
from mutualis.alerts.readings import Grid, registers, window_start
from mutualis.detection.alarms import RULES
from mutualis.detection.leaks import detect_leaks
from mutualis.detection.presence import inactivity, silent
from mutualis.detection.series import HOURS_PER_DAY, Hourly, from_index
from mutualis.iot.models import Quantity, Sensor, SensorKind

CHUNK = 500


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


def run(*, until: dt.datetime, days: int = 35, recent_hours: int = 48, progress=None) -> Outcome:
    outcome = Outcome()
    start = window_start(until, days)
    grid = Grid(start, days + 1)
    elapsed = grid.column_of(until)  # whole local hours read up to `until`
    grid = Grid(start, -(-elapsed // HOURS_PER_DAY))  # whole days; the rest unread
    meters = list(
        Sensor.objects.filter(
            kind=SensorKind.WATER_METER, active=True, measures__quantity=Quantity.WATER_VOLUME
        )
        .exclude(pk__in=MeterSector.objects.filter(active=True).values("district"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    consented = set(MonitoringConsent.objects.active().values_list("sensor_id", flat=True))
    first_weekday = start.weekday()
    for first in range(0, len(meters), CHUNK):
        ids = meters[first : first + CHUNK]
        block = from_index(registers(ids, grid), first_weekday=first_weekday, scale=1000)
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
            at = grid.time_of(int(h) + 1)
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
    sectors_run(grid=grid, elapsed=elapsed, recent_hours=recent_hours, outcome=outcome)
    heating_run(until=until, outcome=outcome)
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
