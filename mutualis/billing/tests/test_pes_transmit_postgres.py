"""Two accountants preparing the PES file at once on PostgreSQL: one file carries the titres,
the other is told so, and no rôle number is lost."""

import threading

import pytest
from django.db import connection, connections

from mutualis.billing.models import Invoice, InvoiceCounter, PesMode, PesTransmission
from mutualis.billing.services import transmissions
from mutualis.billing.services.identity import identity_update
from mutualis.billing.services.pes import PesError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 4


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "select_for_update locking is only meaningful on PostgreSQL: "
            "run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/mutualis"
        )


@pytest.mark.parametrize("mode", [PesMode.ORDINARY, PesMode.ORMC])
def test_parallel_files_carry_each_titre_once(identity, issued_titres, mode):
    identity_update(pes_mode=mode)
    errors: list = []
    barrier = threading.Barrier(WORKERS)

    def target():
        try:
            barrier.wait()
            transmissions.pes_transmit(invoices=Invoice.objects.all())
        except PesError as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert PesTransmission.objects.count() == 1
    assert len(errors) == WORKERS - 1
    assert PesTransmission.objects.get().document_count == 3
    roles = InvoiceCounter.objects.filter(series=transmissions.ROLE_SERIES)
    assert [c.last_number for c in roles] == ([1] if mode == PesMode.ORMC else [])
