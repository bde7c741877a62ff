"""Campaign page: tabs without bullets and with a current state, distinct field ids, the
forward step as the primary button, and confirmation before going back or closing early."""

import datetime as dt
import re

from django.urls import reverse

from mutualis.purchasing.models import CampaignStatus
from mutualis.purchasing.tests.factories import (
    CampaignFactory,
    InvitationFactory,
    LotFactory,
)


def _page(client, campaign):
    return client.get(reverse("purchasing:campaign_detail", args=[campaign.pk])).content.decode()


def test_tabs_mark_the_current_page(client, manager, db):
    campaign = CampaignFactory()
    client.force_login(manager)
    page = _page(client, campaign)
    assert '<ul class="inline-list purchasing-tabs">' in page
    assert re.search(r'aria-current="page"><strong>Campagne, lots et invitations</strong>', page)
    tabs = page[page.index("purchasing-tabs") :]
    tabs = tabs[: tabs.index("</ul>")]
    assert tabs.count('aria-current="page"') == 1
    assert tabs.count("<strong>") == 1


def test_lot_and_criterion_fields_have_distinct_ids(client, manager, db):
    campaign = CampaignFactory(draft=True)
    client.force_login(manager)
    page = _page(client, campaign)
    ids = re.findall(r'id="(id_[^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert 'for="id_lot-name"' in page and 'for="id_criterion-name"' in page
    response = client.post(
        reverse("purchasing:lot_add", args=[campaign.pk]),
        {"lot-name": "Copieurs", "lot-unit": "appareil"},
    )
    assert response.status_code == 302
    assert campaign.lots.get().name == "Copieurs"


def test_the_forward_step_comes_first_and_going_back_is_secondary(client, manager, db):
    campaign = CampaignFactory(offers=True)
    client.force_login(manager)
    page = _page(client, campaign)
    forward = page.index("Passer à « Attribuée »")
    backward = page.index("Revenir à « Recueil des besoins »")
    assert forward < backward
    assert '<button type="submit" class="secondary">Revenir à' in page


def test_going_back_asks_for_confirmation(client, manager, db):
    campaign = CampaignFactory(offers=True)
    LotFactory(campaign=campaign)
    InvitationFactory(campaign=campaign)
    client.force_login(manager)
    url = reverse("purchasing:campaign_status", args=[campaign.pk])
    response = client.post(url, {"status": "needs"})
    assert response.status_code == 200
    assert 'name="confirmed"' in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OFFERS
    assert client.post(url, {"status": "needs", "confirmed": "1"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.NEEDS


def test_closing_the_needs_early_asks_for_confirmation_only_with_pending_invitees(
    client, manager, db
):
    campaign = CampaignFactory(needs_deadline=dt.date.today() + dt.timedelta(days=5))
    campaign.offers_deadline = campaign.award_date = dt.date.today() + dt.timedelta(days=10)
    campaign.save()
    LotFactory(campaign=campaign)
    pending = InvitationFactory(campaign=campaign)
    client.force_login(manager)
    url = reverse("purchasing:campaign_status", args=[campaign.pk])
    response = client.post(url, {"status": "offers"})
    assert response.status_code == 200
    assert "1 membre invité" in response.content.decode()
    pending.answered_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    pending.save()
    assert client.post(url, {"status": "offers"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OFFERS
