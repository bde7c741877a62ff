"""On PostgreSQL the readings live in monthly partitions: created by the migration and ahead
of time by the storage job, with a DEFAULT partition that never refuses a value; the
retention drops whole months; the rollups still follow the readings exactly."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test import override_settings

from mutualis.iot import storage
from mutualis.iot.models import DailyRollup, HourlyRollup, Reading
from mutualis.iot.tests.factories import make_sensor
from mutualis.iot.tests.test_rollups import _write, actual, day_key, expected, hour_key, random_rows

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "partitions exist on PostgreSQL only: "
            "run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/mutualis"
        )


@pytest.fixture(autouse=True)
def _kept_forever(settings):
    """The dates here are fixed: no retention may skip them, whenever the tests run."""
    settings.IOT_RAW_RETENTION_DAYS = 0
    settings.IOT_HOURLY_RETENTION_DAYS = 0


def where(reading_time) -> str:
    """The partition holding the reading at that time."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM iot_reading WHERE time = %s", [reading_time]
        )
        return cursor.fetchone()[0]


def test_the_migration_partitions_the_readings_and_hourly_rollups():
    for table, column in storage.PARTITIONED.items():
        assert storage.is_partitioned(table)
        this_month = dt.date.today().replace(day=1)
        assert this_month in storage.partitions(table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'p'",
                [table],
            )
            assert cursor.fetchone()[0] == f'PRIMARY KEY (id, "{column}")'.replace('"hour"', "hour")
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
            assert any("USING brin" in row[0] for row in cursor.fetchall())


def test_the_job_creates_the_coming_months_once():
    now = dt.datetime(2031, 6, 15, tzinfo=dt.UTC)
    report = storage.storage_maintain(now=now, months_ahead=2)
    assert {"iot_reading_p203106", "iot_reading_p203107", "iot_reading_p203108"} <= set(
        report.created
    )
    assert "iot_hourlyrollup_p203108" in report.created
    assert storage.storage_maintain(now=now, months_ahead=2).created == []


def test_a_value_outside_every_partition_is_kept_and_moves_into_its_month_later():
    sensor = make_sensor()
    measure = sensor.measures.first()
    far = dt.datetime(2032, 3, 10, 12, tzinfo=dt.UTC)
    _write([(sensor.pk, measure.pk, far, 7.5)])
    assert where(far) == "iot_reading_default"
    storage.storage_maintain(now=dt.datetime(2032, 2, 20, tzinfo=dt.UTC), months_ahead=1)
    assert where(far) == "iot_reading_p203203"
    assert Reading.objects.get(time=far).value == 7.5


@override_settings(IOT_RAW_RETENTION_DAYS=90, IOT_HOURLY_RETENTION_DAYS=0)
def test_the_retention_drops_whole_months_and_keeps_the_rollups():
    sensor = make_sensor()
    measure = sensor.measures.first()
    now = dt.datetime(2031, 6, 15, tzinfo=dt.UTC)  # cutoff: 2031-03-17
    storage.partitions_create(
        "iot_reading", storage.months_between(dt.date(2031, 1, 1), now.date())
    )
    storage.partitions_create("iot_hourlyrollup", [dt.date(2031, 1, 1)])
    times = [dt.datetime(2031, m, d, 9, tzinfo=dt.UTC) for m, d in ((1, 5), (3, 5), (3, 20))]
    with override_settings(IOT_RAW_RETENTION_DAYS=0):
        _write([(sensor.pk, measure.pk, t, 1.0) for t in times])
    report = storage.storage_maintain(now=now, months_ahead=0)
    assert {"iot_reading_p203101", "iot_reading_p203102"} <= set(report.dropped)
    assert "iot_reading_p203103" not in report.dropped  # part of March is still kept
    assert sorted(Reading.objects.values_list("time", flat=True)) == times[1:]
    assert DailyRollup.objects.filter(day=dt.date(2031, 1, 5)).exists()
    assert HourlyRollup.objects.filter(hour=times[0]).exists()  # their retention: none


def test_rollups_match_the_readings_across_a_month_boundary():
    rng = random.Random(2026)
    sensors = [make_sensor(name=f"Gymnase {i}") for i in range(3)]
    rows = random_rows(sensors, rng, dt.datetime(2026, 11, 29, tzinfo=dt.UTC), 500)
    for i in range(0, len(rows), 40):
        _write(rows[i : i + 40])
    before = actual(HourlyRollup, "hour"), actual(DailyRollup, "day")
    storage.storage_maintain()  # November's values leave the DEFAULT partition for their own
    assert {where(t) for _s, _m, t, _v in rows} == {"iot_reading_p202611", "iot_reading_p202612"}
    assert (actual(HourlyRollup, "hour"), actual(DailyRollup, "day")) == before
    assert actual(HourlyRollup, "hour") == expected(hour_key)
    assert actual(DailyRollup, "day") == expected(day_key)
