"""The daily storage job (command and task) applies the retention of raw values; the
rollups command rebuilds them. On SQLite rows go one by one; PostgreSQL's partitions are in
test_storage_postgres.py."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from mutualis.iot.models import DailyRollup, HourlyRollup, Reading
from mutualis.iot.rollups import rollups_refresh
from mutualis.iot.tasks import storage_maintain_task
from mutualis.iot.tests.factories import make_sensor

pytestmark = pytest.mark.django_db


def _readings(days_ago):
    sensor = make_sensor()
    measure = sensor.measures.first()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    times = [now - dt.timedelta(days=d) for d in days_ago]
    Reading.objects.bulk_create(
        [Reading(sensor=sensor, measure=measure, time=t, value=1.5) for t in times]
    )
    rollups_refresh((sensor.pk, measure.pk, t) for t in times)
    return sensor, times


def test_the_retention_drops_the_raw_values_past_it_and_keeps_the_daily_rollups(settings):
    settings.IOT_RAW_RETENTION_DAYS = 0
    _sensor, times = _readings([60, 20, 1])
    settings.IOT_RAW_RETENTION_DAYS = 30
    settings.IOT_HOURLY_RETENTION_DAYS = 0
    out = StringIO()
    call_command("iot_storage", stdout=out)
    assert list(Reading.objects.order_by("time").values_list("time", flat=True)) == times[1:]
    assert DailyRollup.objects.count() == 3 and HourlyRollup.objects.count() == 3
    if connection.vendor == "sqlite":
        assert "iot_reading: 1" in out.getvalue()


def test_the_storage_job_runs_as_a_queued_task(settings):
    settings.IOT_RAW_RETENTION_DAYS = 0
    _readings([500])
    settings.IOT_RAW_RETENTION_DAYS = 400
    result = storage_maintain_task.enqueue()
    assert result.return_value is not None
    assert Reading.objects.count() == 0


def test_the_rollups_command_rebuilds_a_period(settings):
    settings.IOT_RAW_RETENTION_DAYS = 0
    _sensor, times = _readings([3, 2])
    HourlyRollup.objects.all().delete()
    DailyRollup.objects.all().delete()
    day = timezone.localtime(times[1]).date()
    out = StringIO()
    call_command("iot_rollups", "--depuis", day.strftime("%d/%m/%Y"), stdout=out)
    assert list(DailyRollup.objects.values_list("day", flat=True)) == [day]
    assert HourlyRollup.objects.get().sum == 1.5
    assert "1 jour(s) recalculé(s)." in out.getvalue()


def test_the_rollups_command_refuses_a_wrong_period():
    with pytest.raises(CommandError, match="période est vide"):
        call_command("iot_rollups", "--depuis", "02/01/2026", "--jusqu-au", "01/01/2026")
    with pytest.raises(CommandError):
        call_command("iot_rollups", "--depuis", "31/02/2026")
