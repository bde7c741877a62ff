"""Concurrent issuers on PostgreSQL get a gapless sequence of numbers without duplicates."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from mutualis.billing.models import Invoice
from mutualis.billing.services.invoices import invoices_issue, reserve_numbers
from mutualis.billing.tests.conftest import computed_run, make_communes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 8
PER_WORKER = 15


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "select_for_update locking is only meaningful on PostgreSQL: "
            "run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/mutualis"
        )


def _in_threads(work) -> list:
    errors: list = []
    barrier = threading.Barrier(WORKERS)

    def target(index):
        try:
            barrier.wait()
            work(index)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_parallel_reservations_are_gapless_and_unique():
    numbers: list[int] = []
    lock = threading.Lock()

    def work(_index):
        for _ in range(PER_WORKER):
            with transaction.atomic():
                number = reserve_numbers(year=2026, series="X")
            with lock:
                numbers.append(number)

    assert _in_threads(work) == []
    assert sorted(numbers) == list(range(1, WORKERS * PER_WORKER + 1))


def test_parallel_issuers_of_titres_get_a_gapless_sequence(world):
    more = make_communes(world["epci"], [900 + i for i in range(WORKERS * 2)])
    from mutualis.billing.tests.conftest import add_usage
    from mutualis.catalog.tests.factories import SubscriptionFactory

    for member in more:
        SubscriptionFactory(member=member, service=world["ent"], start_date=dt.date(2020, 1, 1))
    add_usage(more, world["ent"], ["10"] * len(more))
    run = computed_run(world, validate=True)
    payers = sorted(run.lines.order_by().values_list("payer_id", flat=True).distinct())
    chunks = [payers[i::WORKERS] for i in range(WORKERS)]

    def work(index):
        for payer in chunks[index]:
            invoices_issue(run=run, issued_on=dt.date(2026, 11, 16), payer_ids=[payer])

    assert _in_threads(work) == []
    numbers = sorted(Invoice.objects.filter(series="T").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == len(payers)
