"""The demo's fleet: sensors of the member communes with their history, their usage posted
for the demo's run; loading it again changes nothing."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.iot.demo import load_demo
from mutualis.iot.models import (
    DailyRollup,
    Device,
    Gateway,
    HourlyRollup,
    Measure,
    Reading,
    Sensor,
    SensorKind,
)
from mutualis.iot.rollups import rollups_rebuild
from mutualis.iot.tests.test_rollups import actual
from mutualis.members.tests.factories import MemberFactory, MembershipFactory
from mutualis.metering.models import UsageRecord

pytestmark = pytest.mark.django_db


def rollups():
    """Hourly and daily rollups and latest values, sums rounded (added in another order)."""

    def rounded(table):
        return {key: (*row[:3], round(row[3], 6), *row[4:]) for key, row in table.items()}

    return (
        rounded(actual(HourlyRollup, "hour")),
        rounded(actual(DailyRollup, "day")),
        set(Measure.objects.values_list("pk", "last_time", "last_value")),
    )


def test_the_fleet_reports_until_now_and_is_billed_month_by_month():
    service = ServiceFactory(code="iot")
    towns = [MembershipFactory(member=MemberFactory()).member for _ in range(3)]
    counts = load_demo()
    sensors = Sensor.objects.count()
    assert counts["capteurs"] == sensors > 3 * 10
    assert set(Sensor.objects.values_list("member_id", flat=True)) == {t.pk for t in towns}
    assert {k for k, _l in SensorKind.choices} >= set(Sensor.objects.values_list("kind", flat=True))
    assert Device.objects.count() == sensors and Gateway.objects.exists()
    latest = Reading.objects.latest("time").time
    assert timezone.now() - latest < dt.timedelta(hours=2)
    assert Reading.objects.earliest("time").time.date() == dt.date(2026, 9, 1)
    if connection.vendor == "postgresql":  # the history in its monthly partitions
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM iot_reading_default")
            assert cursor.fetchone()[0] == 0
    # A water meter's index never goes back.
    meter = Sensor.objects.filter(kind=SensorKind.WATER_METER).first()
    index = list(
        Reading.objects.filter(sensor=meter, measure__quantity="water_volume")
        .order_by("time")
        .values_list("value", flat=True)
    )
    assert index == sorted(index) and len(index) > 90
    # The charts of « Mon espace » read the rollups: rebuilt for the whole history.
    days = DailyRollup.objects.filter(sensor=meter, measure__quantity="water_volume")
    assert days.count() >= 90
    # Built in one pass, they are what the rollups recomputed hour by hour give.
    built = rollups()
    rollups_rebuild()
    assert built == rollups()
    september = UsageRecord.objects.filter(service=service, year=2026, month=9)
    assert sum(r.quantity for r in september) == sensors  # all of them reported in September
    readings = Reading.objects.count()
    assert load_demo() == counts and Reading.objects.count() == readings
