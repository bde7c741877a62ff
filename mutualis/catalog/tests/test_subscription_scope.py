"""An EPCI's subscription covers itself, its communes, or chosen establishments."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mutualis.catalog.models import SubscriptionScope
from mutualis.catalog.services import subscription_create
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.members.tests.factories import (
    CommuneFactory,
    EpciMemberFactory,
    EstablishmentFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db


def test_an_epci_covers_chosen_establishments_of_its_territory():
    epci = EpciMemberFactory()
    commune = MemberFactory(commune=CommuneFactory(epci=epci.territory_epci))
    ehpad = EstablishmentFactory(parent=commune)
    subscription = subscription_create(
        member=epci,
        service=ServiceFactory(),
        start_date=dt.date(2025, 1, 1),
        scope=SubscriptionScope.WITH_ESTABLISHMENTS,
        covered_establishments=[ehpad],
    )
    assert list(subscription.covered_establishments.all()) == [ehpad]


def test_establishments_outside_the_epci_are_refused():
    epci = EpciMemberFactory()
    foreign = EstablishmentFactory()
    with pytest.raises(ValidationError):
        subscription_create(
            member=epci,
            service=ServiceFactory(),
            start_date=dt.date(2025, 1, 1),
            scope=SubscriptionScope.WITH_ESTABLISHMENTS,
            covered_establishments=[foreign],
        )
    assert not epci.subscriptions.exists()


def test_a_commune_cannot_subscribe_for_others():
    with pytest.raises(ValidationError):
        subscription_create(
            member=MemberFactory(),
            service=ServiceFactory(),
            start_date=dt.date(2025, 1, 1),
            scope=SubscriptionScope.WITH_COMMUNES,
        )


def test_overlapping_subscriptions_to_one_service_are_refused():
    member, service = MemberFactory(), ServiceFactory()
    subscription_create(member=member, service=service, start_date=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        subscription_create(member=member, service=service, start_date=dt.date(2026, 1, 1))


def test_chosen_establishments_scope_needs_establishments():
    with pytest.raises(ValidationError):
        subscription_create(
            member=EpciMemberFactory(),
            service=ServiceFactory(),
            start_date=dt.date(2025, 1, 1),
            scope=SubscriptionScope.WITH_ESTABLISHMENTS,
        )
