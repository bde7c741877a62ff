"""Whose data: operator staff see every member, agents only their own (and an EPCI's
perimeter when granted)."""

import pytest

from mutualis.core.roles import OperatorRole
from mutualis.core.tests.factories import UserFactory
from mutualis.members.models import Member
from mutualis.members.services import agent_grant_access
from mutualis.members.tests.factories import (
    AgentAccessFactory,
    CommuneFactory,
    EpciMemberFactory,
    EstablishmentFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def epci_world():
    epci_member = EpciMemberFactory()
    commune = MemberFactory(commune=CommuneFactory(epci=epci_member.territory_epci))
    establishment = EstablishmentFactory(parent=commune)
    elsewhere = MemberFactory()
    return epci_member, commune, establishment, elsewhere


@pytest.mark.parametrize("role", list(OperatorRole))
def test_operator_staff_see_every_member(role, epci_world):
    user = UserFactory(operator_role=role)
    assert Member.objects.visible_to(user).count() == 4


def test_an_agent_sees_only_its_member(epci_world):
    _, commune, _, _ = epci_world
    agent = AgentAccessFactory(member=commune).user
    assert list(Member.objects.visible_to(agent)) == [commune]


def test_an_epci_agent_sees_its_perimeter_only_when_granted(epci_world):
    epci_member, commune, establishment, _ = epci_world
    agent = UserFactory()
    agent_grant_access(user=agent, member=epci_member)
    assert list(Member.objects.visible_to(agent)) == [epci_member]
    agent_grant_access(user=agent, member=epci_member, includes_perimeter=True)
    assert set(Member.objects.visible_to(agent)) == {epci_member, commune, establishment}


def test_an_inactive_or_anonymous_user_sees_nothing(epci_world):
    from django.contrib.auth.models import AnonymousUser

    _, commune, _, _ = epci_world
    agent = AgentAccessFactory(member=commune).user
    agent.is_active = False
    agent.save()
    assert not Member.objects.visible_to(agent).exists()
    assert not Member.objects.visible_to(AnonymousUser()).exists()
    staff = UserFactory(manager=True, is_active=False)
    assert not Member.objects.visible_to(staff).exists()


def test_only_an_epci_agent_can_be_given_a_perimeter(epci_world):
    from django.core.exceptions import ValidationError

    _, commune, _, _ = epci_world
    with pytest.raises(ValidationError):
        agent_grant_access(user=UserFactory(), member=commune, includes_perimeter=True)
