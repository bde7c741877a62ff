"""A service or a member that a run's lines or a titre's lines name cannot be deleted: the
references of the lines are checked by the ORM (the database keeps only the constraint to the
run or the titre, see ChargeLine), so the protection is tested here, through the ORM."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from mutualis.billing.models import ChargeLine, InvoiceLine
from mutualis.billing.services.invoices import invoices_issue
from mutualis.billing.tests.conftest import computed_run


def test_a_service_or_member_named_by_charge_lines_cannot_be_deleted(world):
    run = computed_run(world)
    line = ChargeLine.objects.filter(run=run).select_related("service", "member").first()
    assert line is not None
    with pytest.raises(ProtectedError):
        line.service.delete()
    with pytest.raises(ProtectedError):
        line.member.delete()
    assert ChargeLine.objects.filter(pk=line.pk).exists()


def test_a_member_named_by_a_titre_line_cannot_be_deleted(world):
    run = computed_run(world, validate=True)
    invoices_issue(run=run, issued_on=dt.date(2026, 11, 16))
    ChargeLine.objects.filter(run=run).delete()  # only the titre's lines still name it
    line = InvoiceLine.objects.select_related("member", "service").first()
    with pytest.raises(ProtectedError):
        line.member.delete()
    with pytest.raises(ProtectedError):
        line.service.delete()


def test_a_charge_line_of_no_run_is_refused_by_the_database(world):
    run = computed_run(world)
    line = ChargeLine.objects.filter(run=run).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChargeLine.objects.filter(pk=line.pk).update(run_id=run.pk + 1000)
        connection.check_constraints(table_names=[ChargeLine._meta.db_table])
    assert ChargeLine.objects.get(pk=line.pk).run_id == run.pk
