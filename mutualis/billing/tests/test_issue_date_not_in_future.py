"""A titre or a correction is never dated in the future: the forms and the services refuse it
with a French sentence, and nothing is numbered."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mutualis.billing.forms import CorrectionForm, IssueForm
from mutualis.billing.models import Invoice, InvoiceCounter, InvoiceKind
from mutualis.billing.services.invoices import invoice_correct, invoices_issue
from mutualis.billing.tests.conftest import computed_run
from mutualis.billing.tests.factories import InvoiceFactory


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def test_issuing_titres_tomorrow_is_refused(world):
    run = computed_run(world, validate=True)
    with pytest.raises(ValidationError) as error:
        invoices_issue(run=run, issued_on=tomorrow())
    assert "ne peut pas être dans le futur" in error.value.message_dict["issued_on"][0]
    assert not Invoice.objects.exists()
    assert not InvoiceCounter.objects.exists()


def test_issuing_titres_today_is_accepted(world):
    run = computed_run(world, validate=True)
    assert len(invoices_issue(run=run, issued_on=timezone.localdate())) == 3


def test_a_correction_dated_tomorrow_is_refused(db):
    titre = InvoiceFactory(issued_on=dt.date(2026, 11, 16))
    with pytest.raises(ValidationError) as error:
        invoice_correct(
            original=titre,
            kind=InvoiceKind.CANCELLATION,
            reason="doublon",
            issued_on=tomorrow(),
        )
    assert "ne peut pas être dans le futur" in error.value.message_dict["issued_on"][0]
    assert not Invoice.objects.filter(original=titre).exists()


@pytest.mark.parametrize("form_class", [IssueForm, CorrectionForm])
def test_the_forms_refuse_a_date_in_the_future(form_class):
    form = form_class(
        {"issued_on": f"{tomorrow():%Y-%m-%d}", "kind": "cancellation", "reason": "x"}
    )
    assert not form.is_valid()
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert form.errors["issued_on"] == [
        f"La date d'émission ne peut pas être dans le futur ({tomorrow():%d/%m/%Y} ; "
        f"nous sommes le {today})."
    ]


def test_the_run_page_says_why_the_titres_were_not_issued(client, accountant, world):
    run = computed_run(world, validate=True)
    client.force_login(accountant)
    response = client.post(
        f"/operateur/facturation/calculs/{run.pk}/emettre/",
        {"issued_on": f"{tomorrow():%Y-%m-%d}"},
        follow=True,
    )
    assert "ne peut pas être dans le futur" in " ".join(
        str(m) for m in response.context["messages"]
    )
    assert not Invoice.objects.exists()
