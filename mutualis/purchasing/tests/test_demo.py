"""The purchasing demo: idempotent, and what the brief promises, on a small demo perimeter
(the full Gironde loader takes too long for the suite; `mutualis demo load` runs it)."""

import pytest

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import (
    AgentAccessFactory,
    CommuneFactory,
    EpciFactory,
    EpciMemberFactory,
    MemberFactory,
    MembershipFactory,
)
from mutualis.purchasing.demo import CIVIL, PHONES, load_demo
from mutualis.purchasing.models import Campaign, CampaignStatus, Invitation
from mutualis.purchasing.selectors import campaign_results


@pytest.fixture
def demo_perimeter(db):
    epci = EpciFactory()
    epci_member = MembershipFactory(member=EpciMemberFactory(territory_epci=epci)).member
    communes = [
        MembershipFactory(
            member=MemberFactory(commune=CommuneFactory(epci=epci, population=population))
        ).member
        for population in (320, 450, 900, 1800, 4200, 15000)
    ]
    AgentAccessFactory(user=UserFactory(username="mairie"), member=communes[0])
    AgentAccessFactory(
        user=UserFactory(username="epci"), member=epci_member, includes_perimeter=True
    )
    return communes[0]


def test_load_demo_twice(demo_perimeter, client):
    first = load_demo()
    assert load_demo() == first

    phones = Campaign.objects.get(name=PHONES)
    assert phones.status == CampaignStatus.AWARDED
    assert phones.lots.filter(awarded_offer__isnull=False).count() == 3
    assert phones.lots.get(number=1).offers.count() == 3
    results = campaign_results(phones)
    assert results["totals"].saved_cents > 0
    assert phones.lots.get(number=1).orders.exists()

    civil = Campaign.objects.get(name=CIVIL)
    assert civil.status == CampaignStatus.NEEDS
    mairie = Invitation.objects.get(campaign=civil, member=demo_perimeter)
    assert mairie.answered_at is None

    client.force_login(demo_perimeter.agent_accesses.get().user)
    page = client.get(f"/mon-espace/{demo_perimeter.pk}/achats/{civil.pk}/")
    assert page.status_code == 200
    assert "Envoyer mes besoins" in page.content.decode()
    result = client.get(f"/mon-espace/{demo_perimeter.pk}/achats/{phones.pk}/")
    assert "Votre résultat" in result.content.decode()
