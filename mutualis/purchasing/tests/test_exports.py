"""Exports: aggregated needs per lot and each member's savings, CSV and XLSX."""

from decimal import Decimal as D

from django.urls import reverse

from mutualis.core.tabular import read_table
from mutualis.members.tests.factories import MemberFactory
from mutualis.purchasing.tests.factories import InvitationFactory, NeedFactory, awarded_campaign_for


def test_aggregated_needs_per_lot(client, manager):
    campaign = awarded_campaign_for(MemberFactory())
    other = MemberFactory()
    InvitationFactory(campaign=campaign, member=other, answered=True)
    NeedFactory(lot=campaign.lots.get(), member=other, quantity=D("2.5"))
    client.force_login(manager)
    for fmt in ("csv", "xlsx"):
        response = client.get(
            reverse("purchasing:needs_export", args=[campaign.pk]), {"format": fmt}
        )
        assert response.status_code == 200
        table = read_table(f"besoins.{fmt}", response.content)
        row = table.rows[0].values
        assert D(str(row["quantite_totale"]).replace(",", ".")) == D("12.5")
        assert str(row["membres"]) == "2"


def test_savings_per_member(client, manager):
    member = MemberFactory()
    campaign = awarded_campaign_for(member)
    client.force_login(manager)
    response = client.get(reverse("purchasing:results_export", args=[campaign.pk]))
    table = read_table("economies.csv", response.content)
    row = table.rows[0].values
    assert row["membre"] == member.name
    assert row["economie"] == "200,00"  # 10 × (25 − 5)
    assert row["base_reference"] == "son prix actuel"
