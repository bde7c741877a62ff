"""Suppliers' SIREN: 9 digits with a right Luhn key (La Poste's historical SIREN aside)."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from mutualis.purchasing.forms import OfferForm
from mutualis.purchasing.models import Supplier
from mutualis.purchasing.services.offers import offer_set
from mutualis.purchasing.siren import siren_is_valid
from mutualis.purchasing.tests.factories import CampaignFactory, LotFactory


@pytest.mark.parametrize(
    ("siren", "valid"),
    [
        ("732829320", True),
        ("380129866", True),
        ("356000000", True),  # La Poste: the historical exception
        ("123456789", False),
        ("732829321", False),
        ("73282932", False),
        ("73282932a", False),
        ("", False),
    ],
)
def test_siren_is_valid(siren, valid):
    assert siren_is_valid(siren) is valid


def test_the_offer_form_refuses_a_wrong_key():
    form = OfferForm({"supplier_name": "X", "supplier_siren": "123456789", "unit_price": "1"})
    assert not form.is_valid()
    assert form.errors["supplier_siren"] == ["SIREN invalide (clé de contrôle)."]
    form = OfferForm(
        {"supplier_name": "La Poste", "supplier_siren": "356000000", "unit_price": "1"}
    )
    assert form.is_valid(), form.errors


def test_the_service_refuses_a_supplier_with_a_wrong_key(db):
    lot = LotFactory(campaign=CampaignFactory(offers=True))
    with pytest.raises(ValidationError, match="clé de contrôle"):
        offer_set(lot=lot, supplier_name="X", supplier_siren="123456789", unit_price=D(1))
    assert not Supplier.objects.exists()
    offer_set(lot=lot, supplier_name="Y", supplier_siren="732829320", unit_price=D(1))
    assert Supplier.objects.get().siren == "732829320"
