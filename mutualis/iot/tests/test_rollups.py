"""Hourly and daily rollups follow the readings exactly, after each ingestion batch and
when rebuilt: a redelivered value does not count twice, a late one lands in its hour and day,
and a measure's latest value never moves back."""

import datetime as dt
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest

from mutualis.iot.ingestion import Message, ingest
from mutualis.iot.models import DailyRollup, HourlyRollup, Measure, Quantity, Reading
from mutualis.iot.rollups import rollups_rebuild, rollups_refresh
from mutualis.iot.tests.factories import make_sensor
from mutualis.iot.tests.messages import chirpstack_up

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _kept_forever(settings):
    """The dates here are fixed: no retention may skip them, whenever the tests run."""
    settings.IOT_RAW_RETENTION_DAYS = 0
    settings.IOT_HOURLY_RETENTION_DAYS = 0


def _write(rows):
    """Readings written as the ingestion does (conflicts ignored), then the rollups."""
    Reading.objects.bulk_create(
        [Reading(sensor_id=s, measure_id=m, time=t, value=v) for s, m, t, v in rows],
        ignore_conflicts=True,
    )
    rollups_refresh((s, m, t) for s, m, t, _v in rows)


def expected(by):
    """Rollups computed straight from the readings, in Python: by(time) gives the bucket."""
    groups = defaultdict(list)
    for r in Reading.objects.order_by("time"):
        groups[(r.sensor_id, r.measure_id, by(r.time))].append((r.time, r.value))
    return {
        key: (
            len(vs),
            min(v for _t, v in vs),
            max(v for _t, v in vs),
            sum(v for _t, v in vs),
            vs[-1][1],
            vs[-1][0],
        )
        for key, vs in groups.items()
    }


def actual(model, bucket):
    return {
        (r.sensor_id, r.measure_id, getattr(r, bucket)): (
            r.count,
            r.min,
            r.max,
            r.sum,
            r.last,
            r.last_time,
        )
        for r in model.objects.all()
    }


def hour_key(moment):
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def day_key(moment):
    return moment.astimezone(PARIS).date()


def random_rows(sensors, rng, start, n):
    """Values in eighths (their sums are exact in binary), times in any order, some twice."""
    rows = []
    for _ in range(n):
        sensor = rng.choice(sensors)
        measure = rng.choice(list(sensor.measures.all()))
        moment = start + dt.timedelta(minutes=rng.randrange(0, 3 * 24 * 60))
        rows.append((sensor.pk, measure.pk, moment, rng.randrange(-400, 4000) / 8))
    rows += rng.sample(rows, n // 10)  # redelivered
    rng.shuffle(rows)
    return rows


def test_rollups_refreshed_batch_by_batch_match_the_readings_exactly():
    rng = random.Random(13)
    sensors = [make_sensor(name=f"École {i}") for i in range(3)]
    # Across the change to winter time and around midnight in Paris.
    start = dt.datetime(2026, 10, 24, 20, tzinfo=dt.UTC)
    rows = random_rows(sensors, rng, start, 600)
    for i in range(0, len(rows), 50):  # batches, late values included
        _write(rows[i : i + 50])
    assert actual(HourlyRollup, "hour") == expected(hour_key)
    assert actual(DailyRollup, "day") == expected(day_key)
    assert Reading.objects.count() < len(rows)  # the redelivered ones stored once


def test_a_rebuild_gives_the_same_rollups_and_repairs_lost_ones():
    rng = random.Random(7)
    sensors = [make_sensor(name=f"Mairie {i}") for i in range(2)]
    start = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    _write(random_rows(sensors, rng, start, 300))
    refreshed = (actual(HourlyRollup, "hour"), actual(DailyRollup, "day"))
    HourlyRollup.objects.filter(pk__in=HourlyRollup.objects.values("pk")[:5]).delete()
    DailyRollup.objects.update(count=0)
    rollups_rebuild()
    assert (actual(HourlyRollup, "hour"), actual(DailyRollup, "day")) == refreshed


def test_a_rebuild_leaves_alone_the_days_whose_readings_are_gone():
    sensor = make_sensor()
    measure = sensor.measures.first()
    old = dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC)
    new = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    _write([(sensor.pk, measure.pk, old, 1.0), (sensor.pk, measure.pk, new, 2.0)])
    Reading.objects.filter(time=old).delete()  # as the retention does
    rollups_rebuild()
    assert DailyRollup.objects.filter(day=dt.date(2026, 11, 1)).get().sum == 1.0


def test_the_latest_value_of_a_measure_never_moves_back():
    sensor = make_sensor()
    measure = sensor.measures.first()
    t = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    _write([(sensor.pk, measure.pk, t, 21.0)])
    _write([(sensor.pk, measure.pk, t - dt.timedelta(days=2), 5.0)])  # late
    measure.refresh_from_db()
    assert (measure.last_time, measure.last_value) == (t, 21.0)
    _write([(sensor.pk, measure.pk, t + dt.timedelta(minutes=15), 21.5)])
    measure.refresh_from_db()
    assert measure.last_value == 21.5


def test_the_ingestion_keeps_the_rollups_up_to_date():
    sensor = make_sensor(dev_eui="0004a30b001c0530", quantities=[Quantity.TEMPERATURE])
    for n, time in enumerate(["2026-11-30T08:15:00Z", "2026-11-30T08:45:00Z"]):
        topic, body = chirpstack_up(
            f_cnt=n, time=time, dedup=f"d-{n}", decoded={"temperature": 20.0 + n}
        )
        ingest([Message(body=body, topic=topic)])
    hour = HourlyRollup.objects.get(sensor=sensor)
    assert (hour.count, hour.min, hour.max, hour.mean, hour.last) == (2, 20.0, 21.0, 20.5, 21.0)
    assert DailyRollup.objects.get(sensor=sensor).day == dt.date(2026, 11, 30)
    assert Measure.objects.get(sensor=sensor).last_value == 21.0
