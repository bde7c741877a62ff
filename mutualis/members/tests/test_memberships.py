"""Memberships are history: they end, they never overlap, they are never deleted."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mutualis.members.models import Membership
from mutualis.members.services import membership_create, membership_end
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_membership_ends_and_stays_in_history():
    member = MemberFactory()
    first = membership_create(member=member, start_date=dt.date(2018, 1, 1))
    membership_end(membership=first, end_date=dt.date(2021, 12, 31), reason="Départ")
    second = membership_create(member=member, start_date=dt.date(2024, 1, 1))
    assert list(member.memberships.order_by("start_date")) == [first, second]
    assert list(Membership.objects.active_on(dt.date(2022, 6, 1))) == []
    assert list(Membership.objects.active_on(dt.date(2024, 6, 1))) == [second]


def test_overlapping_memberships_are_refused():
    member = MemberFactory()
    membership_create(member=member, start_date=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        membership_create(member=member, start_date=dt.date(2023, 1, 1))
    assert member.memberships.count() == 1


def test_an_end_before_the_start_is_refused():
    membership = membership_create(member=MemberFactory(), start_date=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        membership_end(membership=membership, end_date=dt.date(2019, 1, 1), reason="erreur")
    membership.refresh_from_db()
    assert membership.end_date is None


def test_ending_a_membership_ends_its_running_subscriptions_on_request():
    from mutualis.catalog.tests.factories import SubscriptionFactory

    member = MemberFactory()
    membership = membership_create(member=member, start_date=dt.date(2020, 1, 1))
    running = SubscriptionFactory(member=member, start_date=dt.date(2021, 1, 1))
    ends_later = SubscriptionFactory(
        member=member, start_date=dt.date(2021, 1, 1), end_date=dt.date(2030, 12, 31)
    )
    ended = SubscriptionFactory(
        member=member, start_date=dt.date(2021, 1, 1), end_date=dt.date(2022, 6, 30)
    )

    membership_end(
        membership=membership,
        end_date=dt.date(2026, 6, 30),
        reason="Retrait",
        end_subscriptions=True,
    )

    for subscription, end in (
        (running, dt.date(2026, 6, 30)),
        (ends_later, dt.date(2026, 6, 30)),
        (ended, dt.date(2022, 6, 30)),
    ):
        subscription.refresh_from_db()
        assert subscription.end_date == end


def test_a_subscription_starting_after_the_end_is_named_and_nothing_changes():
    from mutualis.catalog.tests.factories import SubscriptionFactory

    member = MemberFactory()
    membership = membership_create(member=member, start_date=dt.date(2020, 1, 1))
    running = SubscriptionFactory(member=member, start_date=dt.date(2021, 1, 1))
    future = SubscriptionFactory(member=member, start_date=dt.date(2027, 1, 1))

    with pytest.raises(ValidationError) as refused:
        membership_end(
            membership=membership,
            end_date=dt.date(2026, 6, 30),
            reason="Retrait",
            end_subscriptions=True,
        )

    assert future.service.name in str(refused.value)
    membership.refresh_from_db()
    running.refresh_from_db()
    assert (membership.end_date, running.end_date) == (None, None)


def test_the_end_page_lists_what_keeps_being_billed_and_ends_it(client):
    from mutualis.catalog.models import Subscription
    from mutualis.catalog.tests.factories import SubscriptionFactory
    from mutualis.core.tests.factories import UserFactory

    member = MemberFactory()
    membership = membership_create(member=member, start_date=dt.date(2020, 1, 1))
    subscription = SubscriptionFactory(member=member, start_date=dt.date(2021, 1, 1))
    client.force_login(UserFactory(manager=True))
    url = f"/operateur/adhesions/{membership.pk}/fin/"

    page = client.get(url).content.decode()
    assert subscription.service.name in page
    assert 'name="end_subscriptions"' in page and "checked" in page

    client.post(url, {"end_date": "30/06/2026", "reason": "Retrait", "end_subscriptions": "on"})
    assert Subscription.objects.get(pk=subscription.pk).end_date == dt.date(2026, 6, 30)
