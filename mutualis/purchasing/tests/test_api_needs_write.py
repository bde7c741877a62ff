"""Needs API: another member's need is « not found » (never a uniqueness error), and an
agent corrects its own need with PATCH until the deadline."""

import datetime as dt
from decimal import Decimal as D

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory
from mutualis.purchasing.models import Need, NeedSource
from mutualis.purchasing.tests.factories import (
    CampaignFactory,
    InvitationFactory,
    LotFactory,
    NeedFactory,
)

URL = "/api/v1/purchasing/needs/"


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def world(db):
    a, b = MemberFactory(), MemberFactory()
    campaign = CampaignFactory(needs_deadline=dt.date(2099, 1, 1))
    lot = LotFactory(campaign=campaign)
    for member in (a, b):
        InvitationFactory(campaign=campaign, member=member, answered=True)
    need_a = NeedFactory(lot=lot, member=a, quantity=D(10))
    need_b = NeedFactory(lot=lot, member=b, quantity=D(20))
    return {
        "campaign": campaign,
        "lot": lot,
        "a": a,
        "b": b,
        "need_a": need_a,
        "need_b": need_b,
        "agent_a": AgentAccessFactory(member=a).user,
    }


def test_posting_for_another_member_who_has_a_need_is_not_found(world):
    body = {"lot": world["lot"].pk, "member": world["b"].pk, "quantity": "5"}
    response = client_for(world["agent_a"]).post(URL, body)
    assert response.status_code == 404, response.content
    assert "unique" not in response.content.decode().lower()
    assert Need.objects.get(pk=world["need_b"].pk).quantity == 20


def test_an_agent_patches_the_quantity_and_price_of_its_own_need(world):
    url = f"{URL}{world['need_a'].pk}/"
    client = client_for(world["agent_a"])
    response = client.patch(url, {"quantity": "14"})
    assert response.status_code == 200, response.content
    assert response.json()["quantity"] == "14.00"
    response = client.patch(url, {"current_unit_price": "3.5"})
    assert response.status_code == 200, response.content
    need = Need.objects.get(pk=world["need_a"].pk)
    assert (need.quantity, need.current_unit_price, need.source) == (
        D(14),
        D("3.5"),
        NeedSource.PORTAL,
    )


def test_patch_changes_neither_lot_nor_member_and_refuses_zero(world):
    url = f"{URL}{world['need_a'].pk}/"
    client = client_for(world["agent_a"])
    response = client.patch(url, {"quantity": "11", "member": world["b"].pk})
    assert response.status_code == 200, response.content
    assert Need.objects.get(pk=world["need_a"].pk).member == world["a"]
    assert client.patch(url, {"quantity": "0"}).status_code == 400
    assert client.put(url, {"quantity": "12"}).status_code == 405


def test_an_agent_cannot_patch_another_members_need(world):
    response = client_for(world["agent_a"]).patch(f"{URL}{world['need_b'].pk}/", {"quantity": "1"})
    assert response.status_code == 404
    assert Need.objects.get(pk=world["need_b"].pk).quantity == 20


def test_no_patch_after_the_deadline_for_agents_but_the_operator_may(world):
    world["campaign"].needs_deadline = dt.date(2020, 1, 1)
    world["campaign"].offers_deadline = dt.date(2020, 2, 1)
    world["campaign"].award_date = dt.date(2020, 3, 1)
    world["campaign"].save()
    url = f"{URL}{world['need_a'].pk}/"
    response = client_for(world["agent_a"]).patch(url, {"quantity": "14"})
    assert response.status_code == 400
    assert "date limite" in response.content.decode()
    assert Need.objects.get(pk=world["need_a"].pk).quantity == 10
    assert client_for(UserFactory(read_only=True)).patch(url, {"quantity": "14"}).status_code == 403
    response = client_for(UserFactory(manager=True)).patch(url, {"quantity": "14"})
    assert response.status_code == 200, response.content
    assert Need.objects.get(pk=world["need_a"].pk).source == NeedSource.API
