"""The alerts' demo, on a small fleet like the iot demo's: the hourly detection then finds the
network loss of one sector and the school heated on its last weekend — nothing else of ours."""

import datetime as dt

import pytest
from django.db import transaction

from mutualis.alerts import demo
from mutualis.alerts.elus import water_energy, water_price
from mutualis.alerts.models import (
    Alert,
    AlertStatus,
    Cause,
    DailyWeather,
    DetectionRun,
    HeatingProfile,
    MeterSector,
)
from mutualis.alerts.tests.tenancy import water_meter
from mutualis.core.jobs import JobStatus, job_enqueue
from mutualis.iot.models import Quantity, Reading
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)
NOW = dt.datetime(2026, 12, 2, 12, 20, tzinfo=dt.UTC)


def fleet_meter(member, n, now):
    """A meter read as the iot demo reads them: at 11:00 UTC each day, hourly the last day."""
    meter = water_meter(member, name=f"Bâtiment {n} — {member.name}")
    measure = meter.measures.get(quantity=Quantity.WATER_VOLUME)
    end = now.replace(minute=0, second=0, microsecond=0)
    start = dt.datetime(2026, 9, 1, 11, tzinfo=dt.UTC)
    moments = [start + dt.timedelta(days=d) for d in range((end - start).days)]
    moments += [end - dt.timedelta(hours=h) for h in range(24, -1, -1)]
    rate = 0.02 + 0.01 * n
    first = moments[0]
    Reading.objects.bulk_create(
        Reading(
            sensor=meter,
            measure=measure,
            time=t,
            value=100 + rate * (t - first).total_seconds() / 3600,
        )
        for t in sorted(set(moments))
    )
    meter.last_seen_at = end
    meter.save(update_fields=["last_seen_at"])
    return meter


def test_the_demo_makes_the_hourly_detection_find_one_loss_and_one_heated_weekend():
    now = NOW  # a winter day: in summer no building is heated, closed or not
    member = MemberFactory(name="Mérignac", insee_code="33281")
    for n in range(4):
        fleet_meter(member, n, now)

    counts = demo.load_demo(now)
    assert counts["secteurs de réseau"] == 2
    assert DailyWeather.objects.count() == counts["jours de météo"] > 60
    assert demo.load_demo(now)["secteurs de réseau"] == 2  # idempotent

    with transaction.atomic():
        run = DetectionRun.objects.create(until=now)
        job_enqueue(run)
    run.refresh_from_db()
    assert run.status == JobStatus.SUCCEEDED, run.error
    losing = MeterSector.objects.get(name__contains="écoles")
    boiler = HeatingProfile.objects.get().sensor
    ours = Alert.objects.filter(cause__in=[Cause.NETWORK_BALANCE, *demo_heating()])
    assert sorted(ours.values_list("sensor_id", "cause")) == sorted(
        [(losing.district_id, Cause.NETWORK_BALANCE), (boiler.pk, Cause.HEATING_UNOCCUPIED)]
    )


def demo_heating():
    return [Cause.HEATING_UNOCCUPIED, Cause.HEATING_OUT_OF_LINE]


def test_the_demo_has_one_leak_found_and_repaired_that_the_elus_page_counts():
    member = MemberFactory(name="Mérignac", insee_code="33281")
    for n in range(2):
        fleet_meter(member, n, NOW)
    demo.load_demo(NOW)
    demo.load_demo(NOW)
    found = Alert.objects.get(status=AlertStatus.RESOLVED)
    assert found.cause == Cause.NIGHT_FLOW and found.resolved_note == demo.FOUND_LEAK_NOTE
    assert found.opened_at.year == found.resolved_at.year == NOW.year
    figures = water_energy(member, NOW.year, now=NOW)
    assert (figures.leaks_found, figures.leaks_resolved) == (1, 1)
    # 14 L/h that would have run 90 days unnoticed, repaired after 2: 88 days saved
    assert figures.saved_m3 == round(14 * 88 * 24 / 1000, 1)
    assert figures.saved_cents == round(14 * 88 * 24 / 1000 * float(water_price()) * 100)
