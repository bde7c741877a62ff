"""Renewal: lots, invited members and the last awarded prices as new reference prices."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from mutualis.members.tests.factories import MemberFactory
from mutualis.purchasing.services.campaigns import campaign_renew
from mutualis.purchasing.tests.factories import CampaignFactory, awarded_campaign_for

DATES = {
    "needs_deadline": dt.date(2029, 3, 31),
    "offers_deadline": dt.date(2029, 5, 15),
    "award_date": dt.date(2029, 6, 15),
    "contract_start": dt.date(2029, 9, 1),
    "contract_end": dt.date(2032, 8, 31),
}


def test_a_renewal_carries_lots_members_and_awarded_prices(db, client):
    member = MemberFactory()
    source = awarded_campaign_for(member)
    renewal = campaign_renew(source=source, name="Téléphonie 2029-2032", **DATES)
    assert renewal.status == "draft"
    assert renewal.renewed_from == source
    lot = renewal.lots.get()
    assert lot.reference_unit_price == D(5)  # the source's awarded price
    assert lot.previous_lot == source.lots.get()
    assert list(renewal.invitations.values_list("member_id", flat=True)) == [member.pk]


def test_only_an_awarded_campaign_is_renewed(db):
    with pytest.raises(ValidationError):
        campaign_renew(source=CampaignFactory(), name="x", **DATES)
