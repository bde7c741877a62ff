"""Operator staff record and end subscriptions from the member page."""

import datetime as dt

import pytest

from mutualis.catalog.tests.factories import ServiceFactory, SubscriptionFactory
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import (
    CommuneFactory,
    EpciMemberFactory,
    EstablishmentFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db


def test_an_epci_subscribes_for_chosen_establishments(client):
    epci = EpciMemberFactory()
    commune = MemberFactory(commune=CommuneFactory(epci=epci.territory_epci))
    ehpad, ccas = EstablishmentFactory(parent=commune), EstablishmentFactory(parent=commune)
    service = ServiceFactory()
    client.force_login(UserFactory(manager=True))
    response = client.post(
        f"/operateur/membres/{epci.pk}/souscription/",
        {
            "service": service.pk,
            "start_date": "2026-01-01",
            "scope": "with_establishments",
            "covered_establishments": [ehpad.pk],
        },
    )
    assert response.status_code == 302
    subscription = epci.subscriptions.get()
    assert list(subscription.covered_establishments.all()) == [ehpad]
    assert ccas not in subscription.covered_establishments.all()


def test_ending_a_subscription_keeps_it(client):
    subscription = SubscriptionFactory()
    client.force_login(UserFactory(manager=True))
    client.post(f"/operateur/souscriptions/{subscription.pk}/fin/", {"end_date": "2026-06-30"})
    subscription.refresh_from_db()
    assert subscription.end_date == dt.date(2026, 6, 30)


def test_a_read_only_operator_cannot_subscribe_members(client):
    member, service = MemberFactory(), ServiceFactory()
    client.force_login(UserFactory(read_only=True))
    response = client.post(
        f"/operateur/membres/{member.pk}/souscription/",
        {"service": service.pk, "start_date": "2026-01-01", "scope": "self"},
    )
    assert response.status_code == 403
    assert not member.subscriptions.exists()
