"""The run page lists the subscribed services that the run left out for want of a tariff."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.billing.selectors import run_services_without_tariff
from mutualis.billing.tests.conftest import computed_run
from mutualis.catalog.tests.factories import ServiceFactory, SubscriptionFactory


def _subscribe(members, service, *, start=dt.date(2020, 1, 1), end=None):
    for member in members:
        SubscriptionFactory(member=member, service=service, start_date=start, end_date=end)


def test_the_run_page_lists_services_without_adopted_tariff(client, accountant, world):
    communes = world["communes"]
    parapheur = ServiceFactory(name="Parapheur électronique")
    _subscribe(communes[:2], parapheur)
    ended = ServiceFactory(name="Ancien service")
    _subscribe(communes, ended, end=dt.date(2025, 12, 31))  # not subscribed in 2026
    run = computed_run(world)
    assert run_services_without_tariff(run) == [
        {"service_id": parapheur.pk, "service__name": "Parapheur électronique", "subscriptions": 2}
    ]
    client.force_login(accountant)
    html = client.get(f"/operateur/facturation/calculs/{run.pk}/").content.decode()
    assert "Services souscrits sans tarif adopté" in html
    assert "Parapheur électronique — 2 souscriptions" in html
    assert "Ancien service" not in html


def test_nothing_is_listed_when_every_service_has_a_tariff(client, accountant, world):
    run = computed_run(world)
    client.force_login(accountant)
    html = client.get(f"/operateur/facturation/calculs/{run.pk}/").content.decode()
    assert "sans tarif adopté" not in html


def test_the_list_takes_one_query_whatever_the_number_of_services(world):
    run = computed_run(world)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows = run_services_without_tariff(run)
        return len(captured), len(rows)

    _subscribe(world["communes"][:1], ServiceFactory())
    assert queries() == (1, 1)
    for _ in range(5):
        _subscribe(world["communes"], ServiceFactory())
    assert queries() == (1, 6)
