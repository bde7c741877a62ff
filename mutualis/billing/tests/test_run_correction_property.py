"""Whatever the differences between the validated run and its correction, the documents the
correction issues add up, payer by payer and in all, to the difference, to the cent; no titre
is ever reduced below zero."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutualis.billing.models import AllocationRun, ChargeLine, Invoice, InvoiceKind, RunStatus
from mutualis.billing.services.corrections import run_validate_correction
from mutualis.billing.services.invoices import invoice_balance_cents, invoices_issue
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.engine.tests.profiles import examples
from mutualis.members.tests.factories import MemberFactory

AMOUNT = st.integers(min_value=0, max_value=5_000_000)
# per payer, per service (two services): (validated amount, new amount)
PAYERS = st.lists(
    st.tuples(st.tuples(AMOUNT, AMOUNT), st.tuples(AMOUNT, AMOUNT)), min_size=1, max_size=6
)


@pytest.fixture
def cast(db):
    return {
        "payers": [MemberFactory() for _ in range(6)],
        "services": [ServiceFactory(), ServiceFactory()],
    }


def _run(cast, amounts, index, status) -> AllocationRun:
    run = AllocationRun.objects.create(year=2026, status=status)
    ChargeLine.objects.bulk_create(
        ChargeLine(
            run=run,
            service=service,
            member=payer,
            payer=payer,
            rule="flat",
            amount_cents=pair[index],
        )
        for payer, services in zip(cast["payers"], amounts, strict=False)
        for service, pair in zip(cast["services"], services, strict=True)
    )
    return run


@settings(
    examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(amounts=PAYERS)
def test_the_corrections_add_up_to_the_difference_to_the_cent(cast, amounts):
    with transaction.atomic():
        base = _run(cast, amounts, 0, RunStatus.VALIDATED)
        invoices_issue(run=base, issued_on=dt.date(2026, 11, 16))
        run = _run(cast, amounts, 1, RunStatus.COMPUTED)
        correction = run_validate_correction(
            run=run, issued_on=dt.date(2026, 11, 27), reason="nouveau tarif"
        )
        expected = sum(new - old for services in amounts for old, new in services)
        assert correction.total_cents == expected
        documents = Invoice.objects.filter(issued_on=dt.date(2026, 11, 27))
        assert (documents.aggregate(total=Sum("total_cents"))["total"] or 0) == expected
        for payer, services in zip(cast["payers"], amounts, strict=False):
            billed = Invoice.objects.filter(member=payer).aggregate(total=Sum("total_cents"))
            assert (billed["total"] or 0) == sum(new for _old, new in services)
        for titre in Invoice.objects.filter(
            kind__in=[InvoiceKind.INVOICE, InvoiceKind.COMPLEMENTARY]
        ):
            assert invoice_balance_cents(titre) >= 0
        transaction.set_rollback(True)
