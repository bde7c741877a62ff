"""RGAA / WCAG 2.1 AA: axe-core over the identity page (with its transmission mode), the
list of PES files prepared and the page of a preparation (in progress, then done), as the
accountant."""

import datetime as dt

import pytest

from mutualis.billing.models import Invoice, InvoiceKind, PesMode, PesPreparation
from mutualis.billing.services import transmissions
from mutualis.billing.services.identity import identity_update
from mutualis.billing.services.invoices import invoice_correct
from mutualis.core.tests.browser import check_accessibility, login
from mutualis.core.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide"
BASE = "/operateur/facturation"


def test_transmission_pages(new_context, identity, issued_titres):
    accountant = UserFactory(username="compta", accountant=True)
    identity_update(pes_mode=PesMode.ORMC)
    queued = PesPreparation.objects.create(year=2026, created_by=accountant)
    done = PesPreparation.objects.create(year=2026, created_by=accountant, status="succeeded")
    done.transmission = transmissions.pes_transmit(invoices=Invoice.objects.all(), user=accountant)
    done.save()
    titre = issued_titres.invoices.order_by("number").first()
    invoice_correct(
        original=titre,
        kind=InvoiceKind.REDUCTION,
        amount_cents=500,
        reason="Erreur",
        issued_on=dt.date(2026, 11, 20),
    )
    page = new_context().new_page()
    login(page, accountant.username, PASSWORD)
    check_accessibility(page, f"{BASE}/identite/")
    check_accessibility(page, f"{BASE}/transmissions/")
    assert page.locator("table tbody tr").count() == 1
    assert page.locator("[role=note]").count() == 1  # the réduction left out of the rôle
    check_accessibility(page, f"{BASE}/titres/?year=2026")
    check_accessibility(page, f"{BASE}/transmissions/preparations/{queued.pk}/")
    check_accessibility(page, f"{BASE}/transmissions/preparations/{done.pk}/")
    assert page.get_by_role("link", name="Télécharger le fichier PES").count() == 1
