"""API: agents see their invited campaigns and their own needs and orders; operator writes."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory
from mutualis.purchasing.models import Need
from mutualis.purchasing.tests.factories import (
    CampaignFactory,
    InvitationFactory,
    LotFactory,
    awarded_campaign_for,
)


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def world(db):
    a, b = MemberFactory(), MemberFactory()
    awarded = awarded_campaign_for(a)
    collecting = CampaignFactory(needs_deadline=dt.date(2099, 1, 1))
    lot = LotFactory(campaign=collecting)
    InvitationFactory(campaign=collecting, member=a)
    CampaignFactory(draft=True)
    return {
        "a": a,
        "b": b,
        "awarded": awarded,
        "collecting": collecting,
        "lot": lot,
        "agent_a": AgentAccessFactory(member=a).user,
        "agent_b": AgentAccessFactory(member=b).user,
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_agents_see_only_the_campaigns_they_are_invited_to(world):
    assert ids(client_for(world["agent_a"]).get("/api/v1/purchasing/campaigns/")) == {
        world["awarded"].pk,
        world["collecting"].pk,
    }
    assert ids(client_for(world["agent_b"]).get("/api/v1/purchasing/campaigns/")) == set()
    assert (
        len(ids(client_for(UserFactory(read_only=True)).get("/api/v1/purchasing/campaigns/"))) == 3
    )


def test_an_agent_sends_its_need_and_not_another_members(world):
    body = {"lot": world["lot"].pk, "member": world["a"].pk, "quantity": "12"}
    assert client_for(world["agent_b"]).post("/api/v1/purchasing/needs/", body).status_code == 404
    response = client_for(world["agent_a"]).post("/api/v1/purchasing/needs/", body)
    assert response.status_code == 201, response.content
    assert Need.objects.get(lot=world["lot"]).quantity == 12
    assert ids(client_for(world["agent_b"]).get("/api/v1/purchasing/needs/")) == set()


def test_only_operator_managers_create_campaigns(world):
    body = {
        "name": "Copieurs",
        "needs_deadline": "2027-01-31",
        "offers_deadline": "2027-03-31",
        "award_date": "2027-04-30",
        "contract_start": "2027-06-01",
        "contract_end": "2030-05-31",
    }
    assert (
        client_for(world["agent_a"]).post("/api/v1/purchasing/campaigns/", body).status_code == 403
    )
    assert (
        client_for(UserFactory(read_only=True))
        .post("/api/v1/purchasing/campaigns/", body)
        .status_code
        == 403
    )
    created = client_for(UserFactory(manager=True)).post("/api/v1/purchasing/campaigns/", body)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "draft"


def test_offers_are_visible_to_invited_agents_once_awarded_only(world):
    assert len(ids(client_for(world["agent_a"]).get("/api/v1/purchasing/offers/"))) == 1
    assert ids(client_for(world["agent_b"]).get("/api/v1/purchasing/offers/")) == set()
