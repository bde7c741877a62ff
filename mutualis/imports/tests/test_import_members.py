"""Collectivités from the territory, by official code: CSV and XLSX, twice."""

from mutualis.imports.tests.helpers import counts, csv_bytes, errors_at, run_import, xlsx_bytes
from mutualis.members.models import Member, MemberKind

HEADER = ["code", "nom"]
ROWS = [["33063", "Bordeaux"], ["243300316", "Bordeaux Métropole"], ["33", "Gironde"]]


def test_good_csv_creates_the_members(territory):
    report = run_import("members", "collectivites.csv", csv_bytes(HEADER, ROWS))

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert Member.objects.get(insee_code="33063").kind == MemberKind.COMMUNE
    assert Member.objects.get(siren="243300316").kind == MemberKind.EPCI
    assert Member.objects.filter(kind=MemberKind.DEPARTEMENT).count() == 1


def test_good_xlsx_with_numeric_codes(territory):
    # A spreadsheet stores codes as numbers; 33 and 33063 must still be found.
    report = run_import("members", "collectivites.xlsx", xlsx_bytes(HEADER, [[33063, ""], [33]]))

    assert report.ok, report.errors
    assert report.created == 2


def test_second_run_creates_nothing(territory):
    content = csv_bytes(HEADER, ROWS)
    run_import("members", "collectivites.csv", content)
    before = counts()

    report = run_import("members", "collectivites.csv", content)

    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert counts() == before


def test_unknown_and_malformed_codes_are_reported(territory):
    rows = [["33063", ""], ["99999", ""], ["abc", ""], ["", "Sans code"]]
    report = run_import("members", "collectivites.csv", csv_bytes(HEADER, rows))

    assert not report.ok
    assert errors_at(report) == {(3, "code"), (4, "code"), (5, "code")}
    assert Member.objects.count() == 0
