"""Each page with the operator, the member's own agent, another member's agent, anonymous;
writes need MANAGE_MEMBERS (a read-only operator is refused)."""

from django.urls import reverse

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory
from mutualis.purchasing.models import Need
from mutualis.purchasing.tests.factories import CampaignFactory, awarded_campaign_for


def test_the_portal_result_page(client, db):
    member = MemberFactory()
    campaign = awarded_campaign_for(member)
    url = reverse("purchasing_portal:campaign", args=[member.pk, campaign.pk])
    assert client.get(url).status_code == 302
    client.force_login(AgentAccessFactory(member=MemberFactory()).user)
    assert client.get(url).status_code == 404
    client.force_login(AgentAccessFactory(member=member).user)
    page = client.get(url).content.decode()
    assert "200,00\u202f€" in page and "son prix actuel" in page
    client.force_login(UserFactory(read_only=True))
    assert client.get(url).status_code == 200


def test_an_agent_does_not_see_a_campaign_it_is_not_invited_to(client, db):
    member = MemberFactory()
    campaign = awarded_campaign_for(MemberFactory())
    client.force_login(AgentAccessFactory(member=member).user)
    url = reverse("purchasing_portal:campaign", args=[member.pk, campaign.pk])
    assert client.get(url).status_code == 404
    assert (
        campaign.name
        not in client.get(reverse("purchasing_portal:campaigns", args=[member.pk])).content.decode()
    )


def test_a_read_only_operator_cannot_write(client, db):
    campaign = CampaignFactory(draft=True)
    client.force_login(UserFactory(read_only=True))
    assert client.get(reverse("purchasing:campaign_detail", args=[campaign.pk])).status_code == 200
    response = client.post(reverse("purchasing:lot_add", args=[campaign.pk]), {"name": "x"})
    assert response.status_code == 403
    assert client.get(reverse("purchasing:campaign_create")).status_code == 403


def test_an_agent_cannot_post_needs_after_the_award(client, db):
    member = MemberFactory()
    campaign = awarded_campaign_for(member)
    lot = campaign.lots.get()
    client.force_login(AgentAccessFactory(member=member).user)
    client.post(
        reverse("purchasing_portal:campaign", args=[member.pk, campaign.pk]),
        {f"quantity_{lot.pk}": "999"},
    )
    assert Need.objects.get().quantity == 10
