"""The coordination fee flows into billing as usage of a catalogue service."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from mutualis.catalog.models import Subscription, Unit
from mutualis.catalog.tests.factories import ServiceFactory, SubscriptionFactory
from mutualis.members.tests.factories import MemberFactory
from mutualis.metering.models import UsageRecord, UsageSource
from mutualis.purchasing.services.fee import campaign_fee_record
from mutualis.purchasing.services.orders import order_create
from mutualis.purchasing.tests.factories import InvitationFactory, NeedFactory, awarded_campaign_for


@pytest.fixture
def campaign(db):
    first = MemberFactory()
    campaign = awarded_campaign_for(first)
    second = MemberFactory()
    InvitationFactory(campaign=campaign, member=second, answered=True)
    NeedFactory(lot=campaign.lots.get(), member=second)
    lot = campaign.lots.get()
    order_create(lot=lot, member=first, ordered_on=dt.date(2026, 10, 1), quantity=D("3.3"))
    return campaign


def test_euro_fee_records_each_members_purchases_of_the_year(campaign):
    campaign.fee_service = ServiceFactory(unit=Unit.EURO)
    campaign.save()
    first = campaign.lots.get().orders.get().member
    SubscriptionFactory(member=first, service=campaign.fee_service, start_date=dt.date(2025, 1, 1))

    counts = campaign_fee_record(campaign=campaign, year=2026)
    assert counts == {"created": 1, "replaced": 0, "unchanged": 0, "subscriptions": 0}
    record = UsageRecord.objects.get()
    assert (record.member, record.quantity, record.source) == (
        first,
        D("16.50"),
        UsageSource.PURCHASING,
    )
    assert (record.period, record.year, record.month) == ("year", 2026, 1)
    assert campaign_fee_record(campaign=campaign, year=2026)["unchanged"] == 1


def test_flat_fee_subscribes_every_participant(campaign):
    campaign.fee_service = ServiceFactory(unit=Unit.FLAT)
    campaign.save()
    counts = campaign_fee_record(campaign=campaign, year=2026)
    assert counts["created"] == 2 and counts["subscriptions"] == 2
    assert set(UsageRecord.objects.values_list("quantity", flat=True)) == {D(1)}
    assert Subscription.objects.filter(start_date=dt.date(2026, 1, 1)).count() == 2


def test_no_fee_service_no_usage(campaign):
    with pytest.raises(ValidationError):
        campaign_fee_record(campaign=campaign, year=2026)
