"""A bad file: every bad row named with its line and column, and nothing written."""

import pytest

from mutualis.imports.tests.factories import MemberFactory, MembershipFactory, ServiceFactory
from mutualis.imports.tests.helpers import csv_bytes, errors_at, run_import, snapshot, xlsx_bytes


@pytest.fixture
def world(db):
    member = MemberFactory(commune__insee_code="33063", siren="213300635")
    MembershipFactory(member=member)
    ServiceFactory(code="sauvegarde")
    return member


def test_subscriptions_file_with_many_mistakes(world):
    header = ["membre", "service", "debut", "fin", "perimetre", "etablissements"]
    rows = [
        ["33063", "sauvegarde", "2024-01-01", "", "self", ""],  # line 2: good
        ["99999", "sauvegarde", "2024-01-01", "", "self", ""],  # unknown member
        ["33063", "inexistant", "2024-01-01", "", "self", ""],  # unknown service
        ["33063", "sauvegarde", "2024-13-45", "", "self", ""],  # bad date
        ["33063", "sauvegarde", "2024-01-01", "", "self", "12345"],  # bad SIREN + duplicate key
        ["33063", "sauvegarde", "01/01/2024", "", "self", ""],  # duplicate of line 2
    ]
    before = snapshot()

    report = run_import("subscriptions", "souscriptions.csv", csv_bytes(header, rows))

    assert not report.ok
    assert errors_at(report) == {
        (3, "membre"),
        (4, "service"),
        (5, "debut"),
        (6, "etablissements"),
        (7, "membre, service, debut"),
    }
    messages = [str(e) for e in report.errors]
    assert (
        "souscriptions.csv, ligne 6, colonne etablissements : "
        "« 12345 » n'est pas un SIREN (9 chiffres)." in messages
    )
    assert any("ligne 7" in m and "la ligne 2" in m for m in messages)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert snapshot() == before


def test_xlsx_errors_use_sheet_lines(world):
    header = ["nom", "type", "siren", "rattachement"]
    rows = [
        ["CCAS", "ccas", "263300011", "33063"],
        [None, None, None, None],
        ["EP", "ccas", "1", "33063"],
    ]
    before = snapshot()

    report = run_import("establishments", "etablissements.xlsx", xlsx_bytes(header, rows))

    assert errors_at(report) == {(4, "siren")}
    assert snapshot() == before


def test_missing_and_unknown_columns(world):
    content = csv_bytes(["nom", "sirne", "rattachement"], [["CCAS", "263300011", "33063"]])
    before = snapshot()

    report = run_import("establishments", "etablissements.csv", content)

    assert errors_at(report) == {(1, "type"), (1, "sirne")}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("adhesions.xls", b"\xd0\xcf\x11\xe0"),
        ("adhesions.ods", b"PK"),
        ("adhesions", b"membre;debut"),
    ],
)
def test_wrong_extension_is_refused(world, name, content):
    before = snapshot()

    report = run_import("memberships", name, content)

    assert not report.ok
    assert report.errors[0].line is None
    assert ".csv ou .xlsx" in report.errors[0].message
    assert snapshot() == before


def test_unreadable_xlsx_and_empty_files(world):
    assert "xlsx lisible" in run_import("members", "x.xlsx", b"not a zip").errors[0].message
    assert "vide" in run_import("members", "x.csv", b"").errors[0].message
    empty = run_import("members", "x.csv", csv_bytes(["code"], []))
    assert "aucune ligne" in empty.errors[0].message
