"""An order may not take a lot past its maximum quantity: the service, the operator page,
the member portal and the API all refuse it, naming the quantity left."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory
from mutualis.purchasing.models import Order
from mutualis.purchasing.selectors import consumption
from mutualis.purchasing.services.orders import order_create
from mutualis.purchasing.tests.factories import awarded_campaign_for

DAY = dt.date(2026, 10, 1)
REMAINING = "il reste 12 à commander"


@pytest.fixture
def setup(db):
    """A lot of at most 600, of which 588 are already ordered."""
    member = MemberFactory()
    campaign = awarded_campaign_for(member)
    lot = campaign.lots.get()
    lot.max_quantity = D(600)
    lot.save()
    order_create(lot=lot, member=member, ordered_on=DAY, quantity=D(588))
    return campaign, lot, member


def test_the_service_refuses_an_order_past_the_maximum(setup):
    _campaign, lot, member = setup
    with pytest.raises(ValidationError) as error:
        order_create(lot=lot, member=member, ordered_on=DAY, quantity=D(24))
    assert REMAINING in error.value.message_dict["quantity"][0]
    assert "600" in error.value.message_dict["quantity"][0]
    assert Order.objects.count() == 1


def test_the_service_accepts_an_order_up_to_the_maximum_and_keeps_the_alert(setup):
    campaign, lot, member = setup
    order_create(lot=lot, member=member, ordered_on=DAY, quantity=D(12))
    row = consumption(campaign)["lot_rows"][0]
    assert (row["ordered"], row["alert"]) == (D(600), "near")
    with pytest.raises(ValidationError, match="il reste 0 à commander"):
        order_create(lot=lot, member=member, ordered_on=DAY, quantity=D("0.5"))


def test_a_lot_without_maximum_takes_any_quantity(setup):
    _campaign, lot, member = setup
    lot.max_quantity = None
    lot.save()
    order_create(lot=lot, member=member, ordered_on=DAY, quantity=D(1000))
    assert Order.objects.count() == 2


def test_the_operator_page_refuses_it(setup, client, manager):
    campaign, lot, member = setup
    client.force_login(manager)
    response = client.post(
        reverse("purchasing:campaign_orders", args=[campaign.pk]),
        {"member": member.pk, "lot": lot.pk, "ordered_on": "2026-10-01", "quantity": "24"},
    )
    assert response.status_code == 200
    assert REMAINING in response.content.decode()
    assert "La commande est enregistrée" not in response.content.decode()
    assert Order.objects.count() == 1


def test_the_portal_refuses_it(setup, client):
    campaign, lot, member = setup
    client.force_login(AgentAccessFactory(member=member).user)
    response = client.post(
        reverse("purchasing_portal:order", args=[member.pk, campaign.pk]),
        {"lot": lot.pk, "ordered_on": "2026-10-01", "quantity": "24"},
        follow=True,
    )
    page = response.content.decode()
    assert REMAINING in page
    assert "Votre commande est enregistrée" not in page
    assert Order.objects.count() == 1


def test_the_api_refuses_it(setup):
    _campaign, lot, member = setup
    user = AgentAccessFactory(member=member).user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    response = client.post(
        "/api/v1/purchasing/orders/",
        {"lot": lot.pk, "member": member.pk, "ordered_on": "2026-10-01", "quantity": "1000"},
    )
    assert response.status_code == 400, response.content
    assert REMAINING in response.json()["quantity"][0]
    assert Order.objects.count() == 1
