"""The worked example of docs/purchasing.md computes what the document says."""

import datetime as dt
import re
from decimal import Decimal as D
from pathlib import Path

from django.conf import settings

from mutualis.imports.services import import_file
from mutualis.members.tests.factories import MemberFactory
from mutualis.purchasing.forms import parse_tiers
from mutualis.purchasing.models import CampaignStatus
from mutualis.purchasing.selectors import campaign_results
from mutualis.purchasing.services.campaigns import campaign_transition
from mutualis.purchasing.services.offers import lot_award, offer_set
from mutualis.purchasing.tests.factories import CampaignFactory, InvitationFactory, LotFactory

DOC = (Path(settings.BASE_DIR) / "docs" / "purchasing.md").read_text(encoding="utf-8")
BASIS = {"marché": "market", "son prix": "own"}


def test_the_worked_example(db):
    csv_block = re.search(r"```csv\n(.*?)```", DOC, re.DOTALL).group(1)
    tiers_block = re.search(r"```tiers\n(.*?)```", DOC, re.DOTALL).group(1)
    table = re.findall(r"^\| (\d{9}) \| (.+) \|$", DOC, re.MULTILINE)
    assert len(table) == 3

    campaign = CampaignFactory(needs_deadline=dt.date(2099, 1, 1))
    lot = LotFactory(campaign=campaign, number=1, unit="acte", reference_unit_price=D("1.20"))
    for siren, _row in table:
        InvitationFactory(campaign=campaign, member=MemberFactory(siren=siren))
    report = import_file(
        kind="needs",
        file_name="exemple.csv",
        content=csv_block.encode(),
        options={"campaign": campaign.pk},
    )
    assert report.ok, [str(e) for e in report.errors]

    campaign_transition(campaign=campaign, status=CampaignStatus.OFFERS)
    offer = offer_set(
        lot=lot,
        supplier_name="Numérisation Sud-Ouest",
        supplier_siren="512345679",
        unit_price=D("0.90"),
        tiers=parse_tiers(tiers_block),
    )
    lot_award(
        lot=lot,
        offer=offer,
        decision_body="Comité syndical",
        decision_number="1",
        decision_date=campaign.award_date,
    )
    campaign_transition(campaign=campaign, status=CampaignStatus.AWARDED)

    results = campaign_results(campaign)
    by_siren = {line.need.member.siren: line.result for line in results["lines"]}
    for siren, row in table:
        quantity, amount, price, basis, alone, saving = (c.strip() for c in row.split("|"))
        result = by_siren[siren]
        assert result.line.quantity == D(quantity)
        assert result.amount_cents == int(D(amount) * 100)
        assert result.reference_price == D(price)
        assert result.basis == BASIS[basis]
        assert result.alone_cents == int(D(alone) * 100)
        assert result.saving_cents == int(D(saving) * 100)
    totals = results["totals"]
    assert (totals.purchased_cents, totals.alone_cents, totals.saved_cents) == (
        4_200_000,
        13_500_000,
        9_300_000,
    )
    assert "42 000,00 € d'achats au lieu de 135 000,00 €" in DOC
    assert "93 000,00 € économisés (68,9 %)" in DOC
    assert totals.rate == D("0.6889")
