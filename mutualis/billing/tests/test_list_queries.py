"""List pages run the same number of queries whatever the amount of data."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.billing.tests.conftest import add_usage, computed_run, make_communes
from mutualis.billing.tests.factories import InvoiceFactory
from mutualis.catalog.tests.factories import SubscriptionFactory
from mutualis.members.tests.factories import AgentAccessFactory
from mutualis.metering.models import UsageRecord


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _grow(world, n):
    more = make_communes(world["epci"], [700 + i for i in range(n)])
    for member in more:
        SubscriptionFactory(member=member, service=world["ent"], start_date=dt.date(2020, 1, 1))
    add_usage(more, world["ent"], ["5"] * n)
    UsageRecord.objects.bulk_create(
        UsageRecord(member=m, service=world["ent"], period="month", year=2026, month=6, quantity=1)
        for m in more
    )


def _pages(run):
    return {
        "index": "/operateur/facturation/",
        "tariffs": "/operateur/facturation/tarifs/",
        "runs": "/operateur/facturation/calculs/",
        "run": f"/operateur/facturation/calculs/{run.pk}/",
        "members": f"/operateur/facturation/calculs/{run.pk}/membres/",
        "invoices": "/operateur/facturation/titres/",
        "receivables": "/operateur/facturation/creances/",
        "usage": "/operateur/consommations/",
        "imports": "/operateur/imports/?type=usage",
    }


def test_list_pages_do_not_grow_with_data(client, accountant, world):
    client.force_login(accountant)
    small_run = computed_run(world)
    InvoiceFactory.create_batch(2)
    small = {key: _count(client, url) for key, url in _pages(small_run).items()}
    _grow(world, 12)
    large_run = computed_run(world)
    assert large_run.line_count > small_run.line_count
    InvoiceFactory.create_batch(10)
    larger = {key: _count(client, url) for key, url in _pages(large_run).items()}
    assert small == larger


def test_portal_lists_do_not_grow_with_data(client, world):
    member = world["communes"][0]
    client.force_login(AgentAccessFactory(member=member).user)
    urls = [f"/mon-espace/{member.pk}/factures/", f"/mon-espace/{member.pk}/consommations/"]
    InvoiceFactory(member=member)
    small = [_count(client, url) for url in urls]
    InvoiceFactory.create_batch(5, member=member)
    UsageRecord.objects.bulk_create(
        UsageRecord(
            member=member, service=world["ent"], period="month", year=2026, month=m, quantity=1
        )
        for m in range(1, 10)
    )
    assert small == [_count(client, url) for url in urls]
