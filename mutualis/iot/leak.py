"""A simulated leak that started in the past (`mutualis iot simulate --leak DEVEUI --since
HOURS`): the meter's hourly index from the leak's start to now, as the meter's own datalog
would give it, rewritten in the stored readings (the same curve as the demo's history plus
the leak), then the rollups of those hours refreshed. The simulator then publishes the live
values with the same leak, so the series goes on without a step.

The leak rules compare whole nights (00:00–06:00) with the previous ones: a leak the
detection can see needs past nights, which live uplinks alone cannot give.
"""

import datetime as dt

import numpy as np
from django.db import transaction

from mutualis.iot import ingest_store
from mutualis.iot.ingest.simulation import PROFILES, hours, values
from mutualis.iot.models import Measure, Quantity, Reading, Sensor
from mutualis.iot.rollups import rollups_refresh

HOUR = dt.timedelta(hours=1)
GAP_DAYS = 14


@transaction.atomic
def leak_backfill(sensor: Sensor, since: dt.datetime, now: dt.datetime) -> int:
    """Rewrites the water index of ``sensor`` each hour from ``since`` to ``now`` with a leak
    from ``since`` on (0.35 m³/h, the simulator's); the hours since its last reading, when it
    has been quiet longer (at most ``GAP_DAYS``), are filled too, without the leak. Returns
    the number of readings written."""
    measure = Measure.objects.get(sensor=sensor, quantity=Quantity.WATER_VOLUME)
    first = since
    if sensor.last_seen_at is not None:
        first = max(min(since, sensor.last_seen_at), now - dt.timedelta(days=GAP_DAYS))
    first = first.replace(minute=0, second=0, microsecond=0)
    moments = []
    moment = first
    while moment <= now:
        moments.append(moment)
        moment += HOUR
    if not moments:
        return 0
    at = np.array([hours(m) for m in moments])
    index = values(
        PROFILES["water_meter"], np.array([float(sensor.pk)]), at, leak_since=hours(since)
    )["water_volume"]
    old = list(
        Reading.objects.filter(measure=measure, time__gte=first, time__lte=now).values_list(
            "time", flat=True
        )
    )
    Reading.objects.filter(measure=measure, time__gte=first, time__lte=now).delete()
    ingest_store.readings_insert(
        [sensor.pk] * len(moments), [measure.pk] * len(moments), moments, index.tolist()
    )
    ingest_store.sensors_seen({sensor.pk: moments[-1]})
    rollups_refresh((sensor.pk, measure.pk, t) for t in [*old, *moments])
    return len(moments)
