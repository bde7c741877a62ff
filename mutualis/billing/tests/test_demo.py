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
from mutualis.territory.postcodes import postcode, postcodes


@pytest.fixture
def demo_world(db):
    Member.objects.create(kind=MemberKind.DEPARTEMENT, name="Gironde", population=1600000)
    epci = EpciMemberFactory()
    communes = [
        MemberFactory(population=250, commune__insee_code="33347", commune__name="Puynormand"),
        *(MemberFactory(population=p) for p in (1800, 12000)),
    ]
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


def test_the_demo_payers_have_their_real_postal_code_never_the_insee_code(demo_world):
    """Puynormand is INSEE 33347, postal code 33660; a town the territory data gives no postal
    code gets none rather than a wrong one."""
    load_demo()
    puynormand = Member.objects.get(commune__insee_code="33347")
    assert puynormand.address.splitlines()[-1] == "33660 Puynormand"
    invoice = Invoice.objects.get(member=puynormand)
    assert invoice.payer_address.splitlines()[-1] == "33660 Puynormand"
    for member in Member.objects.filter(kind=MemberKind.COMMUNE).select_related("commune"):
        town = member.address.splitlines()[-1]
        expected = " ".join(
            p for p in (postcode(member.commune.insee_code), member.commune.name) if p
        )
        assert town == expected
        if member.commune.insee_code != "33347":
            assert member.commune.insee_code not in member.address


def test_the_territory_data_gives_each_commune_its_postal_codes():
    assert postcode("33347") == "33660"
    assert postcodes()["33063"] == ("33000", "33100", "33200", "33300", "33800")  # Bordeaux
    assert postcode("99999") == ""
