"""Adhésions with their délibération and convention; the key is (member, start date)."""

import datetime as dt

import pytest

from mutualis.imports.tests.factories import MemberFactory, MembershipFactory
from mutualis.imports.tests.helpers import counts, csv_bytes, errors_at, run_import, xlsx_bytes
from mutualis.members.models import Membership, MembershipPart

HEADER = [
    "membre",
    "debut",
    "fin",
    "part",
    "deliberation_instance",
    "deliberation_numero",
    "deliberation_date",
    "convention_reference",
]


@pytest.fixture
def members(db):
    return (
        MemberFactory(commune__insee_code="33063", siren="213300635"),
        MemberFactory(commune__insee_code="33281", siren="213302813"),
    )


def test_good_csv_creates_memberships_decisions_and_agreements(members):
    bordeaux, merignac = members
    rows = [
        [
            "213300635",
            "2024-01-01",
            "",
            "full",
            "Conseil municipal",
            "2023-12",
            "15/12/2023",
            "C-1",
        ],
        [
            "33281",
            "01/03/2024",
            "31/12/2026",
            "Part obligatoire",
            "Conseil municipal",
            "",
            "2024-02-01",
            "",
        ],
    ]
    report = run_import("memberships", "adhesions.csv", csv_bytes(HEADER, rows))

    assert report.ok, report.errors
    assert report.created == 2
    first = Membership.objects.get(member=bordeaux)
    assert first.start_date == dt.date(2024, 1, 1)
    assert first.part == MembershipPart.FULL
    assert (first.decision.body, first.decision.number) == ("Conseil municipal", "2023-12")
    assert first.decision.date == dt.date(2023, 12, 15)
    assert first.agreement.reference == "C-1"
    second = Membership.objects.get(member=merignac)
    assert second.end_date == dt.date(2026, 12, 31)
    assert second.part == MembershipPart.COMPULSORY
    assert second.agreement is None


def test_good_xlsx_with_date_cells(members):
    rows = [
        ["33063", dt.date(2024, 1, 1), None, "optional", "Conseil", 12, dt.date(2023, 12, 1), None]
    ]
    report = run_import("memberships", "adhesions.xlsx", xlsx_bytes(HEADER, rows))

    assert report.ok, report.errors
    membership = Membership.objects.get()
    assert membership.part == MembershipPart.OPTIONAL
    assert membership.decision.number == "12"


def test_second_run_updates_instead_of_duplicating(members):
    rows = [["33063", "2024-01-01", "", "full", "Conseil municipal", "1", "2023-12-15", "C-1"]]
    run_import("memberships", "adhesions.csv", csv_bytes(HEADER, rows))
    before = counts()

    again = run_import("memberships", "adhesions.csv", csv_bytes(HEADER, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert counts() == before

    rows[0][2] = "2025-12-31"
    changed = run_import("memberships", "adhesions.csv", csv_bytes(HEADER, rows))
    assert (changed.created, changed.updated) == (0, 1)
    assert Membership.objects.get().end_date == dt.date(2025, 12, 31)
    assert counts() == before


def test_ending_a_membership_and_starting_the_next_in_one_file(members):
    bordeaux, _merignac = members
    MembershipFactory(member=bordeaux, start_date=dt.date(2020, 1, 1))
    rows = [
        ["33063", "2024-01-01", "", "full", "", "", "", ""],
        ["33063", "2020-01-01", "2023-12-31", "full", "", "", "", ""],
    ]
    report = run_import("memberships", "adhesions.csv", csv_bytes(HEADER, rows))

    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)


def test_bad_rows_are_all_reported(members):
    MembershipFactory(member=members[0], start_date=dt.date(2020, 1, 1))
    rows = [
        ["99999", "2024-01-01", "", "full", "", "", "", ""],
        ["33281", "31/02/2024", "", "full", "", "", "", ""],
        ["33281", "2024-03-01", "2024-01-01", "totalement", "", "7", "", ""],
        ["33063", "2022-01-01", "", "full", "", "", "", ""],
    ]
    before = counts()

    report = run_import("memberships", "adhesions.csv", csv_bytes(HEADER, rows))

    assert errors_at(report) == {
        (2, "membre"),
        (3, "debut"),
        (4, "fin"),
        (4, "part"),
        (4, "deliberation_instance"),
        (4, "deliberation_date"),
        (5, "debut"),  # overlaps the adhésion of 2020 already recorded
    }
    assert counts() == before
