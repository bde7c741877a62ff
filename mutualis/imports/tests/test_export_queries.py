"""Building an export costs the same number of queries for 2 rows or 20."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.alerts.models import DailyWeather, HeatingProfile, SchoolHoliday, WeatherStation
from mutualis.alerts.tests.tenancy import energy_meter, make_sector
from mutualis.catalog.models import SubscriptionScope
from mutualis.imports.exports import EXPORTS
from mutualis.imports.tests.factories import (
    DecisionFactory,
    EpciMemberFactory,
    EstablishmentFactory,
    MemberFactory,
    MembershipFactory,
    ServiceFactory,
    SubscriptionFactory,
)
from mutualis.iot.tests.factories import make_sensor
from mutualis.members.models import Agreement
from mutualis.metering.models import UsageRecord
from mutualis.support.models import Ticket, TicketSource, TicketStatus


def add_rows(n: int) -> None:
    service = ServiceFactory()
    for _ in range(n):
        commune = MemberFactory()
        establishment = EstablishmentFactory(parent=commune, siren=f"26{commune.pk:07d}")
        agreement = Agreement.objects.create(member=commune, reference=f"C-{commune.pk}")
        MembershipFactory(
            member=commune,
            decision=DecisionFactory(member=commune),
            agreement=agreement,
        )
        epci = EpciMemberFactory()
        subscription = SubscriptionFactory(
            member=epci,
            service=service,
            start_date=dt.date(2024, 1, 1),
            scope=SubscriptionScope.WITH_ESTABLISHMENTS,
        )
        subscription.covered_establishments.add(establishment)
        UsageRecord.objects.create(
            member=epci, service=service, period="month", year=2026, month=1, quantity=3
        )
        make_sensor(commune)
        station, _ = WeatherStation.objects.get_or_create(code="33281001", defaults={"name": "M"})
        day = dt.date(2026, 1, 1) + dt.timedelta(days=DailyWeather.objects.count())
        DailyWeather.objects.create(station=station, day=day, minimum=1.5, maximum=9.0)
        SchoolHoliday.objects.create(zone="A", name="Vacances", starts_on=day, ends_on=day)
        HeatingProfile.objects.create(member=commune, sensor=energy_meter(commune), station=station)
        make_sector(commune)
        Ticket.objects.create(
            source=TicketSource.IMPORT,
            external_id=f"T-{commune.pk}",
            member=commune,
            title="Mot de passe oublié",
            status=TicketStatus.SOLVED,
            opened_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
        )


def queries_of(kind: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        rows = EXPORTS[kind].build()
    return len(captured), len(rows)


@pytest.mark.parametrize("kind", list(EXPORTS))
def test_query_count_does_not_grow_with_rows(db, kind):
    add_rows(2)
    queries_small, rows_small = queries_of(kind)
    add_rows(18)
    queries_large, rows_large = queries_of(kind)

    assert rows_large >= 10 * rows_small // 2 > 0
    assert queries_large == queries_small <= 2


def test_export_download_query_count_is_constant(client, db):
    from mutualis.imports.tests.factories import OperatorFactory

    client.force_login(OperatorFactory())
    add_rows(2)
    with CaptureQueriesContext(connection) as small:
        client.get("/operateur/imports/export/subscriptions.xlsx")
    add_rows(18)
    with CaptureQueriesContext(connection) as large:
        client.get("/operateur/imports/export/subscriptions.xlsx")
    assert len(large) == len(small)
