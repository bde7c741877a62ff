"""Date inputs (<input type="date">) carry an ISO value whatever the locale."""

import datetime as dt

import pytest
from django.utils import timezone

from mutualis.billing.forms import CorrectionForm, IssueForm, TariffAdoptForm
from mutualis.billing.tests.factories import InvoiceFactory

DAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("form_class", "name"),
    [
        (CorrectionForm, "issued_on"),
        (IssueForm, "issued_on"),
        (IssueForm, "due_on"),
        (TariffAdoptForm, "date"),
    ],
)
def test_the_date_input_has_an_iso_value(form_class, name):
    html = str(form_class(initial={name: DAY})[name])
    assert 'type="date"' in html
    assert 'value="2026-11-23"' in html


def test_the_correction_page_proposes_today_in_iso(client, accountant, db):
    invoice = InvoiceFactory()
    client.force_login(accountant)
    html = client.get(f"/operateur/facturation/titres/{invoice.pk}/corriger/").content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html
