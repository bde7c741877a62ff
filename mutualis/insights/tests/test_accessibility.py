"""RGAA / WCAG 2.1 AA: axe-core over the pages of issue 15 — the élus' view, the prices of
« Mon espace » and its catalogue, the tariff in French, two versions side by side, the
whole-budget simulation and the references of savings."""

import pytest

from mutualis.billing.models import Tariff
from mutualis.catalog.models import ReferencePrice
from mutualis.core.tests.browser import check_accessibility, login
from mutualis.core.tests.factories import UserFactory
from mutualis.insights.models import ReportBatch
from mutualis.members.size import SizeClass
from mutualis.members.tests.factories import AgentAccessFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide"


def test_elus_prices_and_readable_tariffs(new_context, issued_titres, world):
    bourg = world["communes"][1]
    ReferencePrice.objects.create(
        service=world["certificats"],
        size_class=SizeClass.UNDER_5000,
        yearly_cents=50000,
        source="Devis",
    )
    v1 = world["tariffs"][0]
    v2 = Tariff.objects.create(
        service=v1.service, year=2026, version=2, text=v1.text.replace("0.40", "0.30")
    )
    UserFactory(username="elu", read_only=True)
    UserFactory(username="resp", manager=True)
    AgentAccessFactory(member=bourg, user__username="agent")
    page = new_context().new_page()
    login(page, "elu", PASSWORD)
    check_accessibility(page, "/elus/")
    check_accessibility(page, f"/elus/{bourg.pk}/?annee=2026")
    check_accessibility(page, f"/elus/{bourg.pk}/?annee=deux")  # the year refused, said so
    check_accessibility(page, f"/operateur/facturation/tarifs/{v1.pk}/")
    check_accessibility(page, f"/operateur/facturation/tarifs/{v2.pk}/comparaison/")
    check_accessibility(page, "/operateur/facturation/simulation/budget/?annee=2026")
    page = new_context().new_page()
    login(page, "resp", PASSWORD)
    check_accessibility(page, "/elus/references/")
    check_accessibility(page, "/elus/rapports/")
    batch = ReportBatch.objects.create(year=2026, status="succeeded", report_count=3)
    check_accessibility(page, f"/elus/rapports/{batch.pk}/")
    check_accessibility(page, f"/operateur/catalogue/{world['certificats'].pk}/prix-seul/")
    page = new_context().new_page()
    login(page, "agent", PASSWORD)
    check_accessibility(page, f"/mon-espace/{bourg.pk}/")
    check_accessibility(page, f"/mon-espace/{bourg.pk}/catalogue/")
    ent = world["ent"].pk
    check_accessibility(page, f"/mon-espace/{bourg.pk}/catalogue/?s{ent}-quantity=abc")
