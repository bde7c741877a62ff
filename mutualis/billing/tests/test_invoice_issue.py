"""Titres are issued from a validated run: one per payer, numbered without gaps, to the cent."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from mutualis.billing.models import Invoice, InvoiceCounter, InvoiceLine
from mutualis.billing.services.invoices import invoices_issue
from mutualis.billing.tests.conftest import computed_run

DAY = dt.date(2026, 11, 16)


def test_one_titre_per_payer_owing_something(world):
    run = computed_run(world, validate=True)
    issued = invoices_issue(run=run, issued_on=DAY)
    assert len(issued) == 3  # the three communes; nothing for the EPCI
    assert [i.number for i in sorted(issued, key=lambda i: i.number)] == [1, 2, 3]
    assert {i.series for i in issued} == {"T"}
    assert all(i.due_on == DAY + dt.timedelta(days=30) for i in issued)
    assert InvoiceCounter.objects.get(year=2026, series="T").last_number == 3


def test_totals_reconcile_to_the_cent(world):
    run = computed_run(world, validate=True)
    invoices_issue(run=run, issued_on=DAY)
    assert Invoice.objects.aggregate(t=Sum("total_cents"))["t"] == run.total_cents
    for invoice in Invoice.objects.all():
        lines = InvoiceLine.objects.filter(invoice=invoice).aggregate(t=Sum("amount_cents"))
        assert lines["t"] == invoice.total_cents
        assert invoice.payer_siren == invoice.member.siren


def test_issuing_again_skips_payers_already_invoiced(world):
    run = computed_run(world, validate=True)
    invoices_issue(run=run, issued_on=DAY)
    assert invoices_issue(run=run, issued_on=DAY) == []
    assert Invoice.objects.count() == 3


def test_numbers_continue_across_runs_of_the_year(world):
    run = computed_run(world, validate=True)
    invoices_issue(run=run, issued_on=DAY, payer_ids=[world["communes"][1].pk])
    rest = invoices_issue(run=run, issued_on=DAY)
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert len(rest) == 2


def test_only_a_validated_run_is_invoiced(world):
    run = computed_run(world)
    with pytest.raises(ValidationError):
        invoices_issue(run=run, issued_on=DAY)
