"""An export, imported back, changes nothing: the columns are the same."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from mutualis.catalog import services as catalog_services
from mutualis.catalog.models import SubscriptionScope
from mutualis.imports.tests.factories import ServiceFactory
from mutualis.imports.tests.helpers import run_import, snapshot
from mutualis.members import services as member_services
from mutualis.members.models import EstablishmentKind, MembershipPart
from mutualis.metering.models import UsageRecord


@pytest.fixture
def world(territory):
    bordeaux, _ = member_services.member_create_from_territory(code="33063")
    merignac, _ = member_services.member_create_from_territory(code="33281")
    epci, _ = member_services.member_create_from_territory(code="243300316")
    member_services.member_create_from_territory(code="33")
    ccas = member_services.establishment_create(
        name="CCAS de Bordeaux",
        parent=bordeaux,
        establishment_kind=EstablishmentKind.CCAS,
        siren="263300011",
        email="ccas@example.fr",
    )
    # No SIREN: files name it by its Mutualis number (#pk).
    syndicate = member_services.establishment_create(
        name="=Syndicat; des eaux", parent=epci, establishment_kind=EstablishmentKind.SYNDICATE
    )
    member_services.membership_create(member=syndicate, start_date=dt.date(2024, 6, 1))
    decision = member_services.decision_create(
        member=bordeaux,
        body="Conseil municipal",
        number="2023-7",
        date=dt.date(2023, 12, 1),
        subject="Adhésion",
    )
    agreement = member_services.agreement_create(member=bordeaux, reference="CONV-1")
    member_services.membership_create(
        member=bordeaux,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2023, 12, 31),
        part=MembershipPart.COMPULSORY,
    )
    member_services.membership_create(
        member=bordeaux, start_date=dt.date(2024, 1, 1), decision=decision, agreement=agreement
    )
    member_services.membership_create(member=merignac, start_date=dt.date(2024, 3, 1))
    backup = ServiceFactory(code="sauvegarde")
    catalog_services.subscription_create(
        member=epci,
        service=backup,
        start_date=dt.date(2024, 1, 1),
        scope=SubscriptionScope.WITH_ESTABLISHMENTS,
        covered_establishments=[ccas, syndicate],
        rebill_key="population",
        rebill_own_key="equal",
    )
    catalog_services.subscription_create(
        member=merignac,
        service=backup,
        start_date=dt.date(2024, 2, 1),
        end_date=dt.date(2024, 12, 31),
    )
    for period, month, quantity in (("month", 3, "1234.5"), ("quarter", 4, "0.125")):
        UsageRecord.objects.create(
            member=merignac,
            service=backup,
            period=period,
            year=2024,
            month=month,
            quantity=Decimal(quantity),
            note="=relevé; du NAS",
        )
    UsageRecord.objects.create(
        member=epci, service=backup, period="year", year=2024, month=1, quantity=Decimal(100)
    )


EXPECTED_ROWS = {
    "members": 4,
    "establishments": 2,
    "memberships": 4,
    "subscriptions": 2,
    "usage": 3,
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", list(EXPECTED_ROWS))
def test_export_then_import_changes_nothing(client, operator, world, kind, fmt):
    client.force_login(operator)
    response = client.get(reverse("imports:export", kwargs={"kind": kind, "fmt": fmt}))
    assert response.status_code == 200
    file_name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert file_name.endswith(f".{fmt}")
    # The département service saves its member on every call (update_or_create): same values.
    ignore = ("updated_at",) if kind == "members" else ()
    before = snapshot(ignore=ignore)

    report = run_import(kind, file_name, response.content)

    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == EXPECTED_ROWS[kind]
    assert snapshot(ignore=ignore) == before
    if kind == "usage":
        assert list(UsageRecord.objects.order_by("pk").values_list("quantity", flat=True)) == [
            Decimal("1234.5"),
            Decimal("0.125"),
            Decimal(100),
        ]


def test_an_export_feeds_an_empty_database(client, operator, world):
    """The establishments export re-creates what it lists once they are gone."""
    from mutualis.members.models import Member, MemberKind

    member_services.establishment_create(
        name="Office de tourisme de Mérignac",
        parent=Member.objects.get(insee_code="33281"),
        establishment_kind=EstablishmentKind.TOURISM_OFFICE,
    )
    client.force_login(operator)
    content = client.get(
        reverse("imports:export", kwargs={"kind": "establishments", "fmt": "csv"})
    ).content
    Member.objects.filter(kind=MemberKind.ESTABLISHMENT, memberships__isnull=True).exclude(
        covering_subscriptions__isnull=False
    ).delete()

    report = run_import("establishments", "etablissements.csv", content)

    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.unchanged) == (1, 2)
