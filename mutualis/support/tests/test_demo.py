"""The demo support: a year of tickets for every member that joined, entities tied to them
and two left untied; loading twice adds nothing."""

import pytest

from mutualis.members.tests.factories import MemberFactory, MembershipFactory
from mutualis.support.demo import UNTIED, load_demo
from mutualis.support.models import SupportEntity, Ticket
from mutualis.support.selectors import member_support

pytestmark = pytest.mark.django_db


def test_a_year_of_tickets_for_the_members_then_nothing_more():
    small = MembershipFactory(member=MemberFactory(name="Saint-Aubin", population=300)).member
    large = MembershipFactory(member=MemberFactory(name="Mérignac", population=70000)).member
    outsider = MemberFactory(name="Commune voisine")

    counts = load_demo()

    assert counts["entités GLPI"] == 2 + len(UNTIED)
    assert not Ticket.objects.filter(member=outsider).exists()
    assert Ticket.objects.filter(member__isnull=True).count() == 6 * len(UNTIED)
    assert SupportEntity.objects.filter(member__isnull=True).count() == len(UNTIED)
    small_count = Ticket.objects.filter(member=small).count()
    assert 2 <= small_count < Ticket.objects.filter(member=large).count() <= 90
    figures = member_support(large, 2026).figures
    assert figures.response.median < figures.resolution.median
    assert 50 < figures.resolution_sla.percent < 100
    assert len(figures.longest) == 5

    assert load_demo() == counts
