"""Award: the awarded unit price is the offer's tier for the group's total quantity."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from mutualis.members.tests.factories import MemberFactory
from mutualis.purchasing.selectors import campaign_results
from mutualis.purchasing.services.offers import lot_award, offer_set
from mutualis.purchasing.tests.factories import (
    CampaignFactory,
    InvitationFactory,
    LotFactory,
    NeedFactory,
)

AWARD = {
    "decision_body": "Comité syndical",
    "decision_number": "2026-7",
    "decision_date": dt.date(2026, 6, 15),
}


@pytest.fixture
def lot(db):
    campaign = CampaignFactory(offers=True)
    lot = LotFactory(campaign=campaign, reference_unit_price=D("1.20"), unit="acte")
    for quantity, own in ((D(60000), None), (D(30000), D("1.50")), (D(15000), None)):
        member = MemberFactory()
        InvitationFactory(campaign=campaign, member=member, answered=True)
        NeedFactory(lot=lot, member=member, quantity=quantity, current_unit_price=own)
    return lot


def test_every_member_pays_the_tier_of_the_whole_group(lot):
    offer = offer_set(
        lot=lot,
        supplier_name="Numérisation Sud-Ouest",
        supplier_siren="512345679",
        unit_price=D("0.90"),
        tiers=[(D(50000), D("0.55")), (D(100000), D("0.40"))],
    )
    lot_award(lot=lot, offer=offer, **AWARD)
    lot.refresh_from_db()
    # 105,000 records in all: the 100,000 tier applies, even to the member needing 15,000.
    assert lot.awarded_unit_price == D("0.40")
    assert lot.award_decision.number == "2026-7"
    assert lot.award_decision.member is None

    lot.campaign.status = "awarded"
    lot.campaign.save()
    results = campaign_results(lot.campaign)
    by_quantity = {line.need.quantity: line.result for line in results["lines"]}
    assert by_quantity[D(15000)].amount_cents == 600000  # 15,000 × 0.40 €
    assert by_quantity[D(15000)].saving_cents == 1200000  # against the market's 1.20 €
    assert by_quantity[D(30000)].saving_cents == 3300000  # against its own 1.50 €
    assert results["totals"].saved_cents == 4800000 + 3300000 + 1200000


def test_an_offer_cannot_be_awarded_outside_the_consultation(lot):
    offer = offer_set(lot=lot, supplier_name="A", supplier_siren="512345679", unit_price=D(1))
    lot.campaign.status = "needs"
    lot.campaign.save()
    with pytest.raises(ValidationError):
        lot_award(lot=lot, offer=offer, **AWARD)


def test_tiers_must_have_distinct_positive_thresholds(lot):
    with pytest.raises(ValidationError):
        offer_set(
            lot=lot,
            supplier_name="A",
            supplier_siren="512345679",
            unit_price=D(1),
            tiers=[(D(10), D(1)), (D(10), D("0.9"))],
        )
