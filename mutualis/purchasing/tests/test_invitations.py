"""Invitations: all adherents, a kind, an EPCI and its communes, chosen members; stored."""

import pytest
from django.core.exceptions import ValidationError

from mutualis.members.tests.factories import MemberFactory
from mutualis.purchasing.models import InvitationMode
from mutualis.purchasing.services.campaigns import campaign_invite, campaign_transition
from mutualis.purchasing.tests.factories import CampaignFactory, LotFactory


@pytest.fixture
def campaign(db):
    return CampaignFactory(draft=True)


def invited(campaign):
    return set(campaign.invitations.values_list("member_id", flat=True))


def test_all_adherents_but_not_the_members_who_have_not_joined(campaign, territory):
    outsider = MemberFactory()
    assert campaign_invite(campaign=campaign, mode=InvitationMode.ALL) == 4
    assert outsider.pk not in invited(campaign)
    assert campaign_invite(campaign=campaign, mode=InvitationMode.ALL) == 0  # no duplicates


def test_a_kind(campaign, territory):
    campaign_invite(campaign=campaign, mode=InvitationMode.KIND, kind="epci")
    assert invited(campaign) == {territory["epci"].pk}
    campaign.refresh_from_db()
    assert campaign.invitation_kind == "epci"


def test_an_epci_and_its_communes(campaign, territory):
    campaign_invite(campaign=campaign, mode=InvitationMode.EPCI, epci=territory["epci"])
    assert invited(campaign) == {territory["epci"].pk, *(c.pk for c in territory["communes"])}


def test_chosen_members(campaign, territory):
    chosen = territory["communes"][:2]
    campaign_invite(campaign=campaign, mode=InvitationMode.CHOSEN, members=chosen)
    assert invited(campaign) == {c.pk for c in chosen}
    with pytest.raises(ValidationError):
        campaign_invite(campaign=campaign, mode=InvitationMode.CHOSEN, members=[])


def test_needs_collection_opens_with_lots_and_invitations_only(campaign, territory):
    with pytest.raises(ValidationError):
        campaign_transition(campaign=campaign, status="needs")
    LotFactory(campaign=campaign)
    with pytest.raises(ValidationError):
        campaign_transition(campaign=campaign, status="needs")
    campaign_invite(campaign=campaign, mode=InvitationMode.ALL)
    assert campaign_transition(campaign=campaign, status="needs").status == "needs"
    with pytest.raises(ValidationError):
        campaign_transition(campaign=campaign, status="closed")


def test_invitations_are_frozen_once_offers_are_collected(territory):
    campaign = CampaignFactory(offers=True)
    with pytest.raises(ValidationError):
        campaign_invite(campaign=campaign, mode=InvitationMode.ALL)
