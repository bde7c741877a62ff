import datetime as dt
from decimal import Decimal

import pytest

from mutualis.billing.models import Tariff, TariffStatus
from mutualis.catalog.models import Unit, UsageKind, YearlyReading
from mutualis.catalog.tests.factories import ServiceFactory, SubscriptionFactory
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import CommuneFactory, EpciMemberFactory, MemberFactory
from mutualis.metering.models import UsageRecord

ENT = """service = "ent"
year = 2026
unit = "élèves"

[cost_sharing]
cost = 12000

[[cost_sharing.subsidies]]
label = "FEDER"
share = 0.40
"""

CERTIFICATS = """service = "certificats"
year = 2026
unit = "certificats"

[usage]
mode = "flow"

[[components]]
type = "unit_price"
price = 12.40

[[exemptions]]
kinds = ["commune"]
population_below = 500
"""


def make_communes(epci, populations):
    return [
        MemberFactory(
            commune=CommuneFactory(population=population, epci=epci.territory_epci),
            population=population,
        )
        for population in populations
    ]


def add_usage(members, service, quantities, *, year=2026, month=12):
    UsageRecord.objects.bulk_create(
        UsageRecord(
            member=member,
            service=service,
            period="month",
            year=year,
            month=month,
            quantity=Decimal(quantity),
        )
        for member, quantity in zip(members, quantities, strict=True)
    )


@pytest.fixture
def accountant(db):
    return UserFactory(accountant=True)


@pytest.fixture
def world(db):
    """An EPCI, three communes (one under 500 inhabitants), two services with adopted tariffs."""
    epci = EpciMemberFactory(population=9000)
    communes = make_communes(epci, [250, 4000, 1200])
    ent = ServiceFactory(
        code="ent", unit=Unit.PUPIL, usage_kind=UsageKind.STOCK, yearly_reading=YearlyReading.LAST
    )
    certificats = ServiceFactory(
        code="certificats",
        unit=Unit.CERTIFICATE,
        usage_kind=UsageKind.FLOW,
        yearly_reading=YearlyReading.SUM,
    )
    for member in communes:
        SubscriptionFactory(member=member, service=ent, start_date=dt.date(2020, 1, 1))
        SubscriptionFactory(member=member, service=certificats, start_date=dt.date(2020, 1, 1))
    add_usage(communes, ent, ["30", "420", "150"])
    add_usage(communes, certificats, ["3", "10", "4"], month=5)
    tariffs = [
        Tariff.objects.create(service=ent, year=2026, text=ENT, status=TariffStatus.ADOPTED),
        Tariff.objects.create(
            service=certificats, year=2026, text=CERTIFICATS, status=TariffStatus.ADOPTED
        ),
    ]
    return {
        "epci": epci,
        "communes": communes,
        "ent": ent,
        "certificats": certificats,
        "tariffs": tariffs,
    }


def computed_run(world_, *, year=2026, validate=False):
    """A run computed synchronously (the task body), validated if asked."""
    from mutualis.billing.services import runs

    run = runs.run_request(year=year)
    runs.run_compute(run_id=run.pk)
    run.refresh_from_db()
    if validate:
        run = runs.run_validate(run=run)
    return run
