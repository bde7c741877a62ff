"""RGAA / WCAG 2.1 AA: axe-core over the pages of a correction, as the accountant."""

import pytest

from mutualis.billing.models import Invoice, InvoiceKind
from mutualis.billing.tests.conftest import computed_run
from mutualis.billing.tests.test_run_correction import adopt_ent_v2
from mutualis.core.tests.browser import (
    BLOCKING_IMPACTS,
    check_accessibility,
    format_violations,
    login,
    run_axe,
)
from mutualis.core.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide"
BASE = "/operateur/facturation"


def test_correction_pages(new_context, issued_titres, world):
    accountant = UserFactory(username="compta", accountant=True)
    adopt_ent_v2(world)
    run = computed_run(world)
    page = new_context().new_page()
    login(page, accountant.username, PASSWORD)
    check_accessibility(page, f"{BASE}/calculs/{run.pk}/")
    check_accessibility(page, f"{BASE}/calculs/{run.pk}/comparaison/")
    check_accessibility(page, f"{BASE}/calculs/{run.pk}/comparaison/?ecarts=1")
    # a refused validation shows its errors on the page
    page.goto(f"{BASE}/calculs/{run.pk}/comparaison/")
    page.fill("#id_decision_number", "2026-40")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert page.locator("[role=alert]").count() >= 1
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, format_violations("refused correction", blocking)
    # validated: the run, the run it replaced, a titre complémentaire
    page.fill("#id_decision_number", "")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    complementary = Invoice.objects.filter(kind=InvoiceKind.COMPLEMENTARY).first()
    assert complementary is not None
    check_accessibility(page, f"{BASE}/calculs/{run.pk}/")
    check_accessibility(page, f"{BASE}/calculs/{issued_titres.pk}/")
    check_accessibility(page, f"{BASE}/titres/{complementary.pk}/")
    check_accessibility(page, f"{BASE}/titres/{complementary.original_id}/")
