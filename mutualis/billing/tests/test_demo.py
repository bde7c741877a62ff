"""The billing demo loads tariffs, usage, a validated run and titres; a second load is a no-op."""

import datetime as dt

import pytest
from django.utils import timezone

from mutualis.billing.demo import TARIFF_DIR, load_demo
from mutualis.billing.models import AllocationRun, Invoice, RunStatus, Tariff, TariffStatus
from mutualis.catalog.tests.factories import ServiceFactory, SubscriptionFactory
from mutualis.members.models import Member, MemberKind
from mutualis.members.tests.factories import EpciMemberFactory, MemberFactory
from mutualis.metering.models import UsageRecord


@pytest.fixture
def demo_world(db):
    Member.objects.create(kind=MemberKind.DEPARTEMENT, name="Gironde", population=1600000)
    epci = EpciMemberFactory()
    communes = [MemberFactory(population=p) for p in (250, 1800, 12000)]
    for path in sorted(TARIFF_DIR.glob("*.toml")):
        service = ServiceFactory(code=path.name.removesuffix("-2026.toml"))
        for member in [epci, *communes]:
            SubscriptionFactory(member=member, service=service, start_date=dt.date(2020, 1, 1))


def test_load_demo_is_complete_and_idempotent(demo_world):
    first = load_demo()
    run = AllocationRun.objects.get(year=2026)
    assert run.status == RunStatus.VALIDATED
    assert Invoice.objects.count() == first["titres"] > 0
    assert not Invoice.objects.filter(issued_on__gt=timezone.localdate()).exists()
    assert Tariff.objects.filter(status=TariffStatus.DRAFT, service__code="sauvegarde").exists()
    assert UsageRecord.objects.filter(year=2026).count() == first["relevés"] > 0
    assert load_demo() == first
    assert AllocationRun.objects.count() == 1
