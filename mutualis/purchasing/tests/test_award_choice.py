"""The award form proposes the best-ranked offer; another choice needs a justification,
stored on the lot. An offer entered by mistake is deleted before the award."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mutualis.core.tests.factories import UserFactory
from mutualis.purchasing.forms import AwardForm
from mutualis.purchasing.models import Offer
from mutualis.purchasing.selectors import lot_comparison
from mutualis.purchasing.services.offers import lot_award, offer_delete
from mutualis.purchasing.tests.factories import (
    CampaignFactory,
    LotFactory,
    NeedFactory,
    OfferFactory,
)

AWARD = {
    "decision_body": "Comité syndical",
    "decision_number": "2026-7",
    "decision_date": dt.date(2026, 6, 15),
}


@pytest.fixture
def lot(db):
    lot = LotFactory(campaign=CampaignFactory(offers=True))
    NeedFactory(lot=lot, quantity=D(100))
    # entered first but dearer: the cheaper one, entered second, ranks first
    OfferFactory(lot=lot, unit_price=D("6.00"))
    OfferFactory(lot=lot, unit_price=D("4.00"))
    return lot


def _best_and_other(lot):
    _quantity, rows = lot_comparison(lot, [])
    return rows[0].offer, rows[1].offer


def test_the_award_form_preselects_the_best_ranked_offer(lot, client, manager):
    best, other = _best_and_other(lot)
    assert best.pk > other.pk
    client.force_login(manager)
    page = client.get(reverse("purchasing:lot_offers", args=[lot.pk])).content.decode()
    assert f'<option value="{best.pk}" selected>' in page
    assert f'<option value="{other.pk}">' in page
    assert page.index(f'value="{best.pk}"') < page.index(f'value="{other.pk}"')
    assert 'for="id_justification"' in page


def test_the_best_ranked_offer_needs_no_justification(lot):
    best, _other = _best_and_other(lot)
    lot_award(lot=lot, offer=best, **AWARD)
    lot.refresh_from_db()
    assert (lot.awarded_offer, lot.award_justification) == (best, "")


def test_another_offer_needs_a_justification_stored_on_the_lot(lot):
    _best, other = _best_and_other(lot)
    with pytest.raises(ValidationError) as error:
        lot_award(lot=lot, offer=other, justification="  ", **AWARD)
    assert "justification" in error.value.message_dict
    lot.refresh_from_db()
    assert lot.awarded_offer is None
    lot_award(lot=lot, offer=other, justification="Le moins-disant est hors délai.", **AWARD)
    lot.refresh_from_db()
    assert lot.awarded_offer == other
    assert lot.award_justification == "Le moins-disant est hors délai."


def test_the_award_page_asks_for_the_justification(lot, client, manager):
    _best, other = _best_and_other(lot)
    client.force_login(manager)
    data = {"offer": other.pk, "decision_body": "Comité", "decision_number": "7"}
    data["decision_date"] = "2026-06-15"
    response = client.post(reverse("purchasing:lot_award", args=[lot.pk]), data)
    assert response.status_code == 200
    assert "justifiez ce choix" in response.content.decode()
    data["justification"] = "Meilleure valeur technique."
    response = client.post(reverse("purchasing:lot_award", args=[lot.pk]), data)
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.award_justification == "Meilleure valeur technique."


def test_award_form_without_offers_has_no_initial(db):
    lot = LotFactory(campaign=CampaignFactory(offers=True))
    assert AwardForm(lot=lot).fields["offer"].initial is None


def test_an_offer_entered_by_mistake_is_deleted_before_the_award(lot, client, manager):
    best, other = _best_and_other(lot)
    client.force_login(UserFactory(read_only=True))
    url = reverse("purchasing:offer_delete", args=[other.pk])
    assert client.post(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 405
    page = client.get(reverse("purchasing:lot_offers", args=[lot.pk])).content.decode()
    assert url in page
    response = client.post(url)
    assert response.status_code == 302
    assert not Offer.objects.filter(pk=other.pk).exists()
    lot_award(lot=lot, offer=best, **AWARD)
    with pytest.raises(ValidationError, match="attribué"):
        offer_delete(offer=OfferFactory(lot=lot, unit_price=D(9)))
    response = client.post(reverse("purchasing:offer_delete", args=[best.pk]), follow=True)
    assert Offer.objects.filter(pk=best.pk).exists()
    assert "attribué" in response.content.decode()
