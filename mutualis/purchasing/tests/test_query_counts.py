"""List pages run a constant number of queries whatever the number of members or campaigns."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory
from mutualis.purchasing.tests.factories import (
    InvitationFactory,
    NeedFactory,
    OrderFactory,
    awarded_campaign_for,
)


def grow(campaign, count):
    lot = campaign.lots.get()
    for _ in range(count):
        member = MemberFactory()
        InvitationFactory(campaign=campaign, member=member, answered=True)
        NeedFactory(lot=lot, member=member, quantity=D(4), current_unit_price=D(9))
        OrderFactory(lot=lot, member=member, ordered_on=dt.date(2026, 10, 2))


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "name", ["campaign_needs", "campaign_results", "campaign_orders", "campaign_detail"]
)
def test_campaign_pages(client, manager, name):
    campaign = awarded_campaign_for(MemberFactory())
    client.force_login(manager)
    url = reverse(f"purchasing:{name}", args=[campaign.pk])
    grow(campaign, 2)
    small = queries(client, url)
    grow(campaign, 6)
    assert queries(client, url) == small


def test_campaign_list_and_portal_list(client, manager):
    member = MemberFactory()
    awarded_campaign_for(member)
    agent = AgentAccessFactory(member=member).user
    client.force_login(manager)
    small = queries(client, reverse("purchasing:index"))
    client.force_login(agent)
    portal_url = reverse("purchasing_portal:campaigns", args=[member.pk])
    portal_small = queries(client, portal_url)
    for _ in range(4):
        awarded_campaign_for(member)
    client.force_login(manager)
    assert queries(client, reverse("purchasing:index")) == small
    client.force_login(agent)
    assert queries(client, portal_url) == portal_small


def test_the_member_result_page(client, db):
    member = MemberFactory()
    campaign = awarded_campaign_for(member)
    client.force_login(AgentAccessFactory(member=member).user)
    url = reverse("purchasing_portal:campaign", args=[member.pk, campaign.pk])
    small = queries(client, url)
    grow(campaign, 5)
    for _ in range(3):
        OrderFactory(lot=campaign.lots.get(), member=member)
    assert queries(client, url) == small
