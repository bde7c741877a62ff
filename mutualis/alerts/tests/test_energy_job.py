"""The detection job runs the network balance of the sectors and the heating rules, and lays
the hours out in local time across the clock changes."""

import datetime as dt
import zoneinfo

import numpy as np
import pytest
from django.db import transaction

from mutualis.alerts.models import (
    Alert,
    Cause,
    DailyWeather,
    DetectionRun,
    HeatingProfile,
    HolidayZone,
    MeterSector,
    SchoolHoliday,
    WeatherStation,
)
from mutualis.alerts.readings import Grid, registers, window_start
from mutualis.alerts.selectors import sector_series
from mutualis.alerts.tests.tenancy import water_meter
from mutualis.core.jobs import JobStatus, job_enqueue
from mutualis.detection.tests.helpers import DAY
from mutualis.iot.models import Quantity, Reading, SensorKind
from mutualis.iot.tests.factories import make_sensor
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UNTIL = dt.datetime(2026, 11, 20, 7, 0, tzinfo=PARIS)
DAYS = 35
HOUR = dt.timedelta(hours=1)


def store_hourly(sensor, per_hour: np.ndarray, start: dt.datetime, quantity, scale=1000.0):
    """A register read at the end of each UTC hour from ``start`` (``per_hour`` in L or kWh)."""
    measure = sensor.measures.get(quantity=quantity)
    start = start.astimezone(dt.UTC)  # real hours (aware local + 1 h is wall-clock arithmetic)
    register = 50.0 + np.cumsum(per_hour) / scale
    Reading.objects.bulk_create(
        Reading(sensor=sensor, measure=measure, time=start + (h + 1) * HOUR, value=v)
        for h, v in enumerate(register.tolist())
        if start + (h + 1) * HOUR <= UNTIL
    )
    sensor.last_seen_at = UNTIL
    sensor.save(update_fields=["last_seen_at"])


def run_job(until=UNTIL) -> DetectionRun:
    with transaction.atomic():
        run = DetectionRun.objects.create(until=until, days=DAYS)
        job_enqueue(run)
    run.refresh_from_db()
    assert run.status == JobStatus.SUCCEEDED, run.error
    return run


def test_a_sector_losing_water_opens_one_alert_on_its_district_meter():
    member = MemberFactory()
    start = window_start(UNTIL, DAYS)
    hours = (DAYS + 1) * 24
    school, hall = water_meter(member, name="École"), water_meter(member, name="Salle")
    district = water_meter(member, name="Compteur de sectorisation")
    other_district = water_meter(member, name="Sectorisation nord")
    flow = np.tile(DAY, DAYS + 2)[:hours]
    store_hourly(school, flow, start, Quantity.WATER_VOLUME)
    store_hourly(hall, flow * 2, start, Quantity.WATER_VOLUME)
    lost = flow * 3
    lost[-4 * 24 :] += 20.0  # 480 L a day lost on the way for the last days
    store_hourly(district, lost, start, Quantity.WATER_VOLUME)
    store_hourly(other_district, flow * 3 * 1.02, start, Quantity.WATER_VOLUME)  # 2 %: fine
    leaking = MeterSector.objects.create(member=member, name="Bourg", district=district)
    leaking.behind.set([school, hall])
    fine = MeterSector.objects.create(member=member, name="Nord", district=other_district)
    fine.behind.set([school, hall])

    run_job()
    alerts = list(Alert.objects.all())
    assert [(a.sensor_id, a.cause) for a in alerts] == [(district.pk, Cause.NETWORK_BALANCE)]
    assert alerts[0].measured == pytest.approx(480.0, rel=0.05)
    # a district meter's own continuous flow is not read as a leak of the meter
    run_job()
    alert = Alert.objects.get()
    assert alert.occurrences == 2

    # its page shows the district against the sum of the meters behind it, day by day
    rows = sector_series(alert)
    assert len(rows) >= 10
    _day, district, metered, loss = rows[-1]
    assert loss == pytest.approx(480.0, rel=0.05)
    assert district == pytest.approx(metered + loss)
    assert rows[0][3] == pytest.approx(0.0, abs=1.0)


def test_a_school_heated_on_a_weekend_of_the_holidays_is_flagged():
    member = MemberFactory()
    boiler = make_sensor(
        member, name="École, chaufferie", kind=SensorKind.ENERGY_METER, quantities=("energy",)
    )
    station = WeatherStation.objects.create(code="33281001", name="Bordeaux-Mérignac")
    first = UNTIL.date() - dt.timedelta(days=60)
    days = [first + dt.timedelta(days=d) for d in range(61)]
    rng = np.random.default_rng(3)
    mean = 11 + 5 * np.sin(np.arange(61) / 6.0)
    DailyWeather.objects.bulk_create(
        DailyWeather(station=station, day=day, minimum=m - 4, maximum=m + 4)
        for day, m in zip(days, mean, strict=True)
    )
    SchoolHoliday.objects.create(
        zone=HolidayZone.A,
        name="Toussaint",
        starts_on=dt.date(2026, 10, 17),
        ends_on=dt.date(2026, 11, 1),
    )
    HeatingProfile.objects.create(
        member=member, sensor=boiler, station=station, holiday_zone=HolidayZone.A
    )
    dju = np.maximum(0, 18 - mean)
    per_day = []
    for day, d in zip(days, dju, strict=True):
        open_day = day.weekday() < 5 and not (dt.date(2026, 10, 17) <= day <= dt.date(2026, 11, 1))
        used = 40 + 12 * d + rng.normal(0, 3) if open_day else 8.0
        if day in (dt.date(2026, 11, 14), dt.date(2026, 11, 15)):  # last weekend: heated
            used = 40 + 12 * d
        per_day.append(used)
    start = dt.datetime.combine(first, dt.time(), tzinfo=PARIS)
    per_hour = np.repeat(np.asarray(per_day) / 24, 24)
    store_hourly(boiler, per_hour, start, Quantity.ENERGY, scale=1.0)

    run_job()
    assert list(Alert.objects.values_list("sensor_id", "cause")) == [
        (boiler.pk, Cause.HEATING_UNOCCUPIED)
    ]


@pytest.mark.parametrize("change", [dt.date(2026, 3, 29), dt.date(2026, 10, 25)])
def test_the_night_stays_00h_06h_local_on_the_days_clocks_change(change):
    member = MemberFactory()
    meter = water_meter(member)
    measure = meter.measures.get(quantity=Quantity.WATER_VOLUME)
    start = dt.datetime.combine(change - dt.timedelta(days=2), dt.time(), tzinfo=PARIS)
    grid = Grid(start, 5)
    # A reading at the end of every real hour, its value the local hour it closes.
    moment, readings = start.astimezone(dt.UTC) + HOUR, []
    while moment <= grid.time_of(grid.hours) - HOUR:
        local = moment.astimezone(PARIS)
        readings.append(Reading(sensor=meter, measure=measure, time=moment, value=local.hour))
        moment += HOUR
    Reading.objects.bulk_create(readings)
    index = registers([meter.pk], grid)[0]
    for day in range(5):
        # column c holds the reading taken during the local hour c % 24 (the last one)
        row = index[day * 24 : day * 24 + 24]
        present = [h for h in range(24) if not np.isnan(row[h])]
        assert all(row[h] == h for h in present)
    # the day after the change: local midnight to 06:00 is columns 0–5 again
    assert list(index[3 * 24 : 3 * 24 + 6]) == [0, 1, 2, 3, 4, 5]
    missing = [c % 24 for c in np.nonzero(np.isnan(index))[0] if c > 0]
    assert missing == ([2] if change.month == 3 else [])
    assert grid.time_of(3 * 24) == dt.datetime.combine(
        change + dt.timedelta(days=1), dt.time(), tzinfo=PARIS
    )
