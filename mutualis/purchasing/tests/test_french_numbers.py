"""Prices and quantities typed the French way: « 0,90 » is ninety cents, never 90 €."""

from decimal import Decimal

from django.urls import reverse

from mutualis.purchasing.models import Offer
from mutualis.purchasing.tests.factories import CriterionFactory, LotFactory


def test_an_offer_price_typed_with_a_comma_is_stored_as_typed(client, manager):
    lot = LotFactory(campaign__offers=True)
    criterion = CriterionFactory(campaign=lot.campaign)
    client.force_login(manager)
    url = reverse("purchasing:lot_offers", args=[lot.pk])
    page = client.get(url).content.decode()
    assert 'type="number"' not in page
    assert 'name="unit_price" inputmode="decimal"' in page.replace('type="text" ', "")
    response = client.post(
        url,
        {
            "supplier_name": "Orange Business",
            "supplier_siren": "380129866",
            "unit_price": "0,90",
            "tiers": "1 000 ; 0,45",
            f"score_{criterion.pk}": "8,5",
        },
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.unit_price == Decimal("0.90")
    assert offer.tier_prices() == [(0, Decimal("0.90")), (1000, Decimal("0.45"))]
    assert offer.scores.get().score == Decimal("8.5")


def test_a_price_that_does_not_fit_is_refused_in_french_and_nothing_is_stored(client, manager):
    lot = LotFactory(campaign__offers=True)
    client.force_login(manager)
    url = reverse("purchasing:lot_offers", args=[lot.pk])
    base = {"supplier_name": "Orange Business", "supplier_siren": "380129866"}
    too_many = client.post(url, {**base, "unit_price": "0,12345"})
    assert too_many.status_code == 200
    assert "4 décimales au plus" in too_many.content.decode()
    bad_tier = client.post(url, {**base, "unit_price": "1", "tiers": "1e999999 ; 0,45"})
    assert "Ligne 1 : « 1e999999 » n&#x27;est pas un nombre" in bad_tier.content.decode()
    assert not Offer.objects.exists()


def test_a_lot_being_edited_shows_its_numbers_the_french_way(client, manager):
    lot = LotFactory(max_quantity=Decimal("1500.50"), reference_unit_price=Decimal("0.9000"))
    client.force_login(manager)
    page = client.get(reverse("purchasing:lot_edit", args=[lot.pk])).content.decode()
    assert 'value="1500,5"' in page
    assert 'value="0,9"' in page
    assert "1500.50" not in page
    assert 'type="number"' not in page
