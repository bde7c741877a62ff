"""Souscriptions: member, service, start date, perimeter and chosen establishments."""

import datetime as dt

import pytest

from mutualis.catalog.models import Subscription, SubscriptionScope
from mutualis.imports.tests.factories import (
    EpciMemberFactory,
    EstablishmentFactory,
    MemberFactory,
    ServiceFactory,
    SubscriptionFactory,
)
from mutualis.imports.tests.helpers import counts, csv_bytes, errors_at, run_import, xlsx_bytes

HEADER = ["membre", "service", "debut", "fin", "perimetre", "etablissements"]


@pytest.fixture
def world(db):
    epci = EpciMemberFactory(siren="243300316")
    commune = MemberFactory(
        commune__insee_code="33063", siren="213300635", commune__epci=epci.territory_epci
    )
    ccas = EstablishmentFactory(parent=commune, siren="263300011", name="CCAS")
    ehpad = EstablishmentFactory(parent=commune, siren="263300029", name="EHPAD")
    far = EstablishmentFactory(siren="263300037", name="CCAS lointain")
    backup = ServiceFactory(code="sauvegarde")
    mail = ServiceFactory(code="messagerie")
    return {
        "epci": epci,
        "commune": commune,
        "ccas": ccas,
        "ehpad": ehpad,
        "far": far,
        "backup": backup,
        "mail": mail,
    }


def test_good_csv_creates_subscriptions(world):
    rows = [
        ["243300316", "sauvegarde", "2024-01-01", "", "with_establishments", "263300011|263300029"],
        ["33063", "messagerie", "01/02/2024", "31/12/2024", "Le membre seul", ""],
        ["243300316", "messagerie", "2024-01-01", "", "avec les communes", ""],
    ]
    report = run_import("subscriptions", "souscriptions.csv", csv_bytes(HEADER, rows))

    assert report.ok, report.errors
    assert report.created == 3
    backup = Subscription.objects.get(service=world["backup"])
    assert backup.scope == SubscriptionScope.WITH_ESTABLISHMENTS
    assert set(backup.covered_establishments.all()) == {world["ccas"], world["ehpad"]}
    mail = Subscription.objects.get(service=world["mail"], member=world["commune"])
    assert mail.end_date == dt.date(2024, 12, 31)
    epci_mail = Subscription.objects.get(service=world["mail"], member=world["epci"])
    assert epci_mail.scope == SubscriptionScope.WITH_COMMUNES


def test_good_xlsx(world):
    rows = [[213300635, "SAUVEGARDE", dt.date(2024, 1, 1), None, "self", None]]
    report = run_import("subscriptions", "souscriptions.xlsx", xlsx_bytes(HEADER, rows))

    assert report.ok, report.errors
    assert Subscription.objects.get().member == world["commune"]


def test_second_run_creates_nothing_and_updates_changes(world):
    rows = [["243300316", "sauvegarde", "2024-01-01", "", "with_establishments", "263300011"]]
    run_import("subscriptions", "souscriptions.csv", csv_bytes(HEADER, rows))
    before = counts()

    again = run_import("subscriptions", "souscriptions.csv", csv_bytes(HEADER, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)

    rows[0][5] = "263300011|263300029"
    changed = run_import("subscriptions", "souscriptions.csv", csv_bytes(HEADER, rows))
    assert (changed.created, changed.updated) == (0, 1)
    assert Subscription.objects.get().covered_establishments.count() == 2
    assert counts()["subscriptions"] == before["subscriptions"]


def test_bad_rows_are_all_reported(world):
    SubscriptionFactory(
        member=world["commune"], service=world["backup"], start_date=dt.date(2023, 1, 1)
    )
    rows = [
        ["33063", "inconnu", "2024-01-01", "", "self", ""],
        ["33063", "messagerie", "2024-01-01", "", "with_communes", ""],
        ["243300316", "messagerie", "2024-01-01", "", "self", "263300011"],
        ["243300316", "sauvegarde", "2024-01-01", "", "with_establishments", "263300037|123"],
        ["33063", "sauvegarde", "2024-06-01", "", "self", ""],
    ]
    before = counts()

    report = run_import("subscriptions", "souscriptions.csv", csv_bytes(HEADER, rows))

    assert errors_at(report) == {
        (2, "service"),
        (3, "perimetre"),
        (4, "etablissements"),
        (5, "etablissements"),
        (6, "debut"),  # the commune already uses this service since 2023
    }
    assert counts() == before


REBILL_HEADER = [*HEADER, "refacturation", "refacturation_propre"]


def test_an_epci_re_billing_keys_are_read_and_changed(world):
    rows = [["243300316", "messagerie", "2024-01-01", "", "with_communes", "", "population", ""]]
    report = run_import("subscriptions", "souscriptions.csv", csv_bytes(REBILL_HEADER, rows))
    assert report.ok, report.errors
    subscription = Subscription.objects.get()
    assert (subscription.rebill_key, subscription.rebill_own_key) == ("population", "")

    rows[0][6:] = ["Au prorata des consommations", "parts égales"]
    changed = run_import("subscriptions", "souscriptions.csv", csv_bytes(REBILL_HEADER, rows))
    assert (changed.created, changed.updated) == (0, 1)
    subscription.refresh_from_db()
    assert (subscription.rebill_key, subscription.rebill_own_key) == ("usage", "equal")

    # A file without the columns leaves the keys as they are.
    plain = [row[:6] for row in rows]
    again = run_import("subscriptions", "souscriptions.csv", csv_bytes(HEADER, plain))
    assert (again.updated, again.unchanged) == (0, 1)
    subscription.refresh_from_db()
    assert (subscription.rebill_key, subscription.rebill_own_key) == ("usage", "equal")


def test_re_billing_keys_are_refused_where_they_mean_nothing(world):
    rows = [
        ["33063", "messagerie", "2024-01-01", "", "self", "", "population", ""],
        ["243300316", "messagerie", "2024-01-01", "", "with_communes", "", "", "usage"],
        ["243300316", "sauvegarde", "2024-01-01", "", "with_communes", "", "au hasard", ""],
    ]
    before = counts()

    report = run_import("subscriptions", "souscriptions.csv", csv_bytes(REBILL_HEADER, rows))

    # The commune alone re-bills nobody; the EPCI's own part has no usage key; no such key.
    assert errors_at(report) == {
        (2, "refacturation"),
        (3, "refacturation_propre"),
        (4, "refacturation"),
    }
    assert counts() == before
