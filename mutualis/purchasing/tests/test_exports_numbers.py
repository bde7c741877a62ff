"""Exports write decimals alike: money with 2 decimals, quantities without trailing zeros."""

from decimal import Decimal as D

from django.urls import reverse

from mutualis.core.tabular import read_table
from mutualis.members.tests.factories import MemberFactory
from mutualis.purchasing.exports import export_cents, export_quantity, export_unit_price
from mutualis.purchasing.tests.factories import awarded_campaign_for


def test_the_helpers():
    assert str(export_quantity(D("38.00"))) == "38"
    assert str(export_quantity(D("1000.00"))) == "1000"
    assert str(export_quantity(D("12.50"))) == "12.5"
    assert str(export_cents(38000)) == "380.00"
    assert str(export_unit_price(D("38.0000"))) == "38.00"
    assert str(export_unit_price(D("0.4550"))) == "0.455"
    assert export_quantity(None) == export_cents(None) == export_unit_price(None) == ""


def test_the_results_csv_is_consistent(client, manager):
    member = MemberFactory()
    campaign = awarded_campaign_for(member)
    client.force_login(manager)
    response = client.get(reverse("purchasing:results_export", args=[campaign.pk]))
    row = read_table("economies.csv", response.content).rows[0].values
    assert row["quantite"] == "10"
    # Decimal commas: what a French spreadsheet reads as numbers.
    assert row["prix_attribue"] == "5,00"
    assert row["prix_reference"] == "25,00"
    assert (row["montant_annuel"], row["montant_seul"], row["economie"]) == (
        "50,00",
        "250,00",
        "200,00",
    )


def test_the_needs_csv_has_no_trailing_zeros(client, manager):
    campaign = awarded_campaign_for(MemberFactory())
    client.force_login(manager)
    response = client.get(reverse("purchasing:needs_export", args=[campaign.pk]))
    row = read_table("besoins.csv", response.content).rows[0].values
    assert (row["quantite_totale"], row["prix_reference_marche"]) == ("10", "25,00")
