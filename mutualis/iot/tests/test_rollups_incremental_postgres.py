"""On PostgreSQL the ingestion folds the values it really inserted into the hourly and daily
rollups in the same transaction (no recomputation): the result is exactly what the
recomputation (`rollups_refresh`) gives, a redelivered batch changes nothing, and two
workers folding into the same hour lose no count."""

import datetime as dt
import random
import threading

import pytest
from django.db import connection, connections

from mutualis.iot.ingestion import Message, ingest
from mutualis.iot.models import DailyRollup, HourlyRollup, Measure, Quantity, Reading
from mutualis.iot.rollups import rollups_refresh
from mutualis.iot.tests.factories import make_sensor
from mutualis.iot.tests.messages import chirpstack_up
from mutualis.iot.tests.test_rollups import actual, day_key, expected, hour_key

pytestmark = [pytest.mark.postgres]
QUANTITIES = (Quantity.TEMPERATURE, Quantity.HUMIDITY)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the incremental rollups are PostgreSQL's: "
            "run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/mutualis"
        )


@pytest.fixture(autouse=True)
def _kept_forever(settings):
    """The dates here are fixed: no retention may skip them, whenever the tests run."""
    settings.IOT_RAW_RETENTION_DAYS = 0
    settings.IOT_HOURLY_RETENTION_DAYS = 0


def uplink(dev_eui: str, moment: dt.datetime, values: tuple[float, float]) -> Message:
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    topic, body = chirpstack_up(
        dev_eui,
        time=stamp,
        dedup=f"{dev_eui}-{stamp}",
        decoded=dict(zip(QUANTITIES, values, strict=True)),
    )
    return Message(body=body, topic=topic)


def random_uplinks(euis: list[str], rng: random.Random, start: dt.datetime, n: int):
    """Uplinks in any order over 30 hours from `start`, values in eighths (sums exact in
    binary), a tenth of them delivered twice."""
    messages = []
    for _ in range(n):
        moment = start + dt.timedelta(minutes=rng.randrange(0, 30 * 60))
        values = (rng.randrange(-200, 300) / 8, rng.randrange(0, 800) / 8)
        messages.append(uplink(rng.choice(euis), moment, values))
    messages += rng.sample(messages, n // 10)
    rng.shuffle(messages)
    return messages


def snapshot():
    return (
        actual(HourlyRollup, "hour"),
        actual(DailyRollup, "day"),
        set(Measure.objects.values_list("pk", "last_time", "last_value")),
    )


@pytest.mark.django_db
def test_folded_rollups_equal_the_recomputation_and_a_redelivery_changes_nothing():
    rng = random.Random(29)
    euis = [f"0004a30b00{n:06x}" for n in range(3)]
    for eui in euis:
        make_sensor(dev_eui=eui, quantities=QUANTITIES)
    # Around midnight in Paris (22:00 UTC in winter) and across many UTC hours.
    messages = random_uplinks(euis, rng, dt.datetime(2026, 11, 27, 18, tzinfo=dt.UTC), 400)
    batches = [messages[i : i + 37] for i in range(0, len(messages), 37)]
    for batch in batches:
        ingest(batch + batch[:3])  # a few delivered twice in the same batch too
    assert len({day for _s, _m, day in actual(DailyRollup, "day")}) == 3
    folded = snapshot()
    assert folded[0] == expected(hour_key)
    assert folded[1] == expected(day_key)

    for batch in batches[:4]:  # redelivered: nothing inserted, nothing counted
        ingest(batch)
    assert snapshot() == folded

    HourlyRollup.objects.all().delete()
    DailyRollup.objects.all().delete()
    Measure.objects.update(last_time=None, last_value=None)
    rollups_refresh(Reading.objects.values_list("sensor_id", "measure_id", "time"))
    assert snapshot() == folded


@pytest.mark.django_db
def test_a_late_value_joins_its_hour_and_leaves_the_latest_value():
    sensor = make_sensor(dev_eui="0004a30b001c0999", quantities=QUANTITIES)
    t = dt.datetime(2026, 11, 30, 8, 45, tzinfo=dt.UTC)
    ingest([uplink("0004a30b001c0999", t, (20.0, 50.0))])
    ingest([uplink("0004a30b001c0999", t - dt.timedelta(minutes=30), (18.0, 40.0))])  # late
    hour = HourlyRollup.objects.get(sensor=sensor, measure__quantity=Quantity.TEMPERATURE)
    assert (hour.count, hour.min, hour.max, hour.sum, hour.last) == (2, 18.0, 20.0, 38.0, 20.0)
    assert hour.last_time == t
    measure = Measure.objects.get(sensor=sensor, quantity=Quantity.TEMPERATURE)
    assert (measure.last_time, measure.last_value) == (t, 20.0)


@pytest.mark.django_db
def test_values_before_the_raw_retention_are_not_folded(settings):
    settings.IOT_RAW_RETENTION_DAYS = 30
    sensor = make_sensor(dev_eui="0004a30b001c0998", quantities=QUANTITIES)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    ingest([uplink("0004a30b001c0998", old, (20.0, 50.0))])
    assert Reading.objects.filter(sensor=sensor).count() == 2  # stored, not rolled up
    assert not HourlyRollup.objects.filter(sensor=sensor).exists()
    assert not DailyRollup.objects.filter(sensor=sensor).exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_folding_into_the_same_hours_lose_no_count():
    euis = [f"0004a30b01{n:06x}" for n in range(4)]
    for eui in euis:
        make_sensor(dev_eui=eui, quantities=QUANTITIES)
    start = dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC)
    work = [
        [  # each worker: its own minutes, every sensor, the same two hours
            [uplink(eui, start + dt.timedelta(minutes=2 * m + w), (1.0, 2.0)) for eui in euis]
            for m in range(60)
        ]
        for w in range(2)
    ]
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def worker(batches):
        try:
            barrier.wait(10)
            for batch in batches:
                ingest(batch)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(batches,)) for batches in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    assert Reading.objects.count() == 2 * 60 * 4 * 2
    hours = HourlyRollup.objects.filter(measure__quantity=Quantity.TEMPERATURE)
    assert sorted(hours.values_list("count", flat=True)) == [60] * 8  # 4 sensors, 2 hours
    assert {d.count for d in DailyRollup.objects.all()} == {120}
    assert actual(HourlyRollup, "hour") == expected(hour_key)
