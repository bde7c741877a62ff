"""Orders: only on awarded lots, by participants, in the contract; consumption alerts."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from mutualis.members.tests.factories import MemberFactory
from mutualis.purchasing.selectors import consumption
from mutualis.purchasing.services.orders import order_create
from mutualis.purchasing.tests.factories import awarded_campaign_for

DAY = dt.date(2026, 10, 1)


@pytest.fixture
def setup(db):
    member = MemberFactory()
    campaign = awarded_campaign_for(member)
    lot = campaign.lots.get()
    lot.max_quantity = D(10)
    lot.save()
    return campaign, lot, member


def test_the_order_is_priced_at_the_awarded_unit_price(setup):
    _campaign, lot, member = setup
    order = order_create(lot=lot, member=member, ordered_on=DAY, quantity=D("3"))
    assert (order.unit_price, order.amount_cents) == (D(5), 1500)


def test_orders_are_refused_outside_the_contract_or_for_non_participants(setup):
    _campaign, lot, member = setup
    with pytest.raises(ValidationError):
        order_create(lot=lot, member=member, ordered_on=dt.date(2030, 1, 1), quantity=D(1))
    with pytest.raises(ValidationError):
        order_create(lot=lot, member=MemberFactory(), ordered_on=DAY, quantity=D(1))
    with pytest.raises(ValidationError):
        order_create(lot=lot, member=member, ordered_on=DAY, quantity=D(0))


@pytest.mark.parametrize(
    ("ordered", "alert", "percent"), [("7", "", 70), ("8", "near", 80), ("10", "near", 100)]
)
def test_alert_when_a_lot_nears_or_passes_its_maximum(setup, ordered, alert, percent):
    campaign, lot, member = setup
    order_create(lot=lot, member=member, ordered_on=DAY, quantity=D(ordered))
    row = consumption(campaign)["lot_rows"][0]
    assert (row["alert"], row["percent"]) == (alert, percent)
    # the member estimated 10: the same ratio against its own estimate
    assert consumption(campaign, member=member)["members"][0]["cells"][0]["alert"] == alert
