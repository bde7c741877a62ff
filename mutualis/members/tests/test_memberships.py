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
