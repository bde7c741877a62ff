"""The platform is billed like any other service: each month, the sensors of a member that
reported at least once become usage of « Plateforme objets connectés », and the tariff engine
prices them in the year's run. No side path."""

import datetime as dt
from decimal import Decimal

import pytest

from mutualis.billing.models import ChargeLine
from mutualis.billing.services import runs, tariffs
from mutualis.catalog.models import Subscription, UsageKind, YearlyReading
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.iot.models import Reading
from mutualis.iot.tests.factories import make_sensor
from mutualis.iot.usage import iot_usage_post
from mutualis.members.tests.factories import MemberFactory
from mutualis.metering.models import UsageRecord

pytestmark = pytest.mark.django_db

TARIFF = """
service = "iot"
year = 2026
unit = "capteurs-mois"
prorata_temporis = false

[usage]
mode = "flow"
year = "sum"

[[components]]
type = "unit_price"
price = 1.35
"""


def report(sensor, *months, day=3):
    """One reading of the sensor in each month (and a second one, that changes nothing)."""
    measure = sensor.measures.first()
    for month in months:
        for hour in (8, 9):
            Reading.objects.create(
                sensor=sensor,
                measure=measure,
                time=dt.datetime(2026, month, day, hour, tzinfo=dt.UTC),
                value=20.0,
            )


def test_a_years_active_sensors_are_billed_to_the_cent_by_the_run():
    service = ServiceFactory(
        code="iot",
        name="Plateforme objets connectés",
        usage_kind=UsageKind.FLOW,
        yearly_reading=YearlyReading.SUM,
    )
    town, other = MemberFactory(), MemberFactory()
    meters = [make_sensor(town) for _ in range(3)]
    report(meters[0], *range(1, 13))  # all year: 12 sensor-months
    report(meters[1], 3, 4, 5)  # 3
    report(meters[2], 12)  # 1
    make_sensor(town)  # silent all year: never billed
    school = make_sensor(other)
    report(school, 6, day=30)  # 1; the last day of a month counts in that month
    Reading.objects.create(  # 31 December, 23:59 UTC: still 2026
        sensor=school,
        measure=school.measures.first(),
        time=dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC),
        value=1,
    )
    for month in range(1, 13):
        iot_usage_post(2026, month)
    for month in range(1, 13):  # posting again changes nothing
        assert iot_usage_post(2026, month).outcomes.keys() <= {"unchanged"}

    assert Subscription.objects.filter(service=service, member=town).exists()
    tariff = tariffs.tariff_import_text(text=TARIFF, source="iot.toml")
    tariffs.tariff_adopt_by_vote(
        tariff=tariff, body="Comité syndical", number="2025-43", date=dt.date(2025, 12, 10)
    )
    run = runs.run_request(year=2026)
    runs.run_compute(run_id=run.pk)

    lines = {line.member_id: line for line in ChargeLine.objects.filter(run=run, service=service)}
    assert lines[town.pk].amount_cents == 16 * 135  # 12 + 3 + 1 sensor-months × 1,35 €
    assert lines[other.pk].amount_cents == 2 * 135  # June and December
    assert "16 capteurs-mois × 1,35" in lines[town.pk].explanation


def test_a_member_whose_sensors_fell_silent_goes_back_to_zero():
    service = ServiceFactory(code="iot", usage_kind=UsageKind.FLOW)
    member = MemberFactory()
    sensor = make_sensor(member)
    report(sensor, 5)
    assert iot_usage_post(2026, 5).sensors == {member.pk: 1}
    Reading.objects.all().delete()  # e.g. a test uplink removed
    again = iot_usage_post(2026, 5)
    assert again.outcomes == {"replaced": 1}
    record = UsageRecord.objects.get(member=member, service=service, year=2026, month=5)
    assert record.quantity == Decimal("0")


def test_without_the_catalogue_service_nothing_is_posted():
    report(make_sensor(), 5)
    posted = iot_usage_post(2026, 5)
    assert posted.errors and not UsageRecord.objects.exists()
