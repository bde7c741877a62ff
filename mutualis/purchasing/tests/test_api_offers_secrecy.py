"""Business secrecy: agents see only the awarded offer of each lot, never the losing bids;
operator staff see every offer."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory
from mutualis.purchasing.tests.factories import LotFactory, OfferFactory, awarded_campaign_for

URL = "/api/v1/purchasing/offers/"


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def world(db):
    member = MemberFactory()
    campaign = awarded_campaign_for(member)
    lot = campaign.lots.get()
    losing = OfferFactory(lot=lot, unit_price="7.00")
    not_awarded_lot = LotFactory(campaign=campaign)
    pending = OfferFactory(lot=not_awarded_lot)
    return {
        "agent": AgentAccessFactory(member=member).user,
        "awarded": lot.awarded_offer,
        "losing": losing,
        "pending": pending,
    }


def test_agents_see_only_the_awarded_offer(world):
    client = client_for(world["agent"])
    assert ids(client.get(URL)) == {world["awarded"].pk}
    assert client.get(f"{URL}{world['losing'].pk}/").status_code == 404
    assert client.get(f"{URL}{world['pending'].pk}/").status_code == 404


def test_operator_staff_see_every_offer(world):
    assert ids(client_for(UserFactory(read_only=True)).get(URL)) == {
        world["awarded"].pk,
        world["losing"].pk,
        world["pending"].pk,
    }
