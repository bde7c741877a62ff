"""Establishments attached to a commune or an EPCI member: CSV and XLSX, idempotent."""

import pytest

from mutualis.imports.tests.factories import EpciMemberFactory, EstablishmentFactory, MemberFactory
from mutualis.imports.tests.helpers import counts, csv_bytes, errors_at, run_import, xlsx_bytes
from mutualis.members.models import EstablishmentKind, Member, MemberKind

HEADER = ["nom", "type", "siren", "rattachement", "courriel"]


@pytest.fixture
def parents(db):
    commune = MemberFactory(commune__insee_code="33063", siren="213300635")
    epci = EpciMemberFactory(siren="243300316")
    return commune, epci


def test_good_csv_creates_establishments(parents):
    commune, epci = parents
    rows = [
        ["CCAS de Bordeaux", "ccas", "263300011", "33063", "ccas@example.fr"],
        ["Office de tourisme", "Office de tourisme", "", "243300316", ""],
        ["École Jean Jaurès", "École / établissement scolaire", "", "33063", ""],
    ]
    report = run_import("establishments", "etablissements.csv", csv_bytes(HEADER, rows))

    assert report.ok, report.errors
    assert report.created == 3
    ccas = Member.objects.get(siren="263300011")
    assert ccas.kind == MemberKind.ESTABLISHMENT
    assert ccas.parent == commune
    assert ccas.epci_id == commune.epci_id
    assert ccas.email == "ccas@example.fr"
    office = Member.objects.get(name="Office de tourisme")
    assert office.establishment_kind == EstablishmentKind.TOURISM_OFFICE
    assert office.parent == epci
    assert Member.objects.get(name="École Jean Jaurès").establishment_kind == "school"


def test_good_xlsx_with_comma_free_labels_and_numeric_siren(parents):
    rows = [["EHPAD Les Pins", "EHPAD", 263300029, 33063, None]]
    report = run_import("establishments", "etablissements.xlsx", xlsx_bytes(HEADER, rows))

    assert report.ok, report.errors
    assert Member.objects.get(siren="263300029").establishment_kind == EstablishmentKind.EHPAD


def test_second_run_creates_nothing(parents):
    rows = [
        ["CCAS de Bordeaux", "ccas", "263300011", "33063", ""],
        ["Médiathèque", "library", "", "33063", ""],
    ]
    content = csv_bytes(HEADER, rows)
    run_import("establishments", "etablissements.csv", content)
    before = counts()

    report = run_import("establishments", "etablissements.csv", content)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert counts() == before


def test_changed_row_updates_the_establishment(parents):
    commune, epci = parents
    existing = EstablishmentFactory(parent=commune, name="CCAS", siren="263300011")
    rows = [["CCAS de Bordeaux", "ccas", "263300011", "243300316", "ccas@example.fr"]]

    report = run_import("establishments", "etablissements.csv", csv_bytes(HEADER, rows))

    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.parent, existing.email) == (
        "CCAS de Bordeaux",
        epci,
        "ccas@example.fr",
    )


def test_without_siren_the_key_is_name_and_parent(parents):
    commune, _epci = parents
    EstablishmentFactory(parent=commune, name="Syndicat des eaux", siren="")
    rows = [["syndicat des eaux", "syndicate", "", "33063", ""]]

    report = run_import("establishments", "etablissements.csv", csv_bytes(HEADER, rows))

    assert report.created == 0
    assert Member.objects.filter(kind=MemberKind.ESTABLISHMENT).count() == 1


def test_bad_rows_are_all_reported(parents):
    rows = [
        ["CCAS", "ccas", "12345", "33063", ""],
        ["", "piscine", "", "99999", "pas-une-adresse"],
        ["Bon", "ccas", "", "33063", ""],
        ["Siren d'une commune", "ccas", "213300635", "33063", ""],
    ]
    before = counts()

    report = run_import("establishments", "etablissements.csv", csv_bytes(HEADER, rows))

    assert errors_at(report) == {
        (2, "siren"),
        (3, "nom"),
        (3, "type"),
        (3, "rattachement"),
        (3, "courriel"),
        (5, "siren"),
    }
    assert "« 12345 » n'est pas un SIREN (9 chiffres)." in [e.message for e in report.errors]
    assert counts() == before
