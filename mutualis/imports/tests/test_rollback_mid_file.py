"""A row refused by a service while writing: every row of the file is rolled back."""

import pytest
from django.core.exceptions import ValidationError

from mutualis.imports.tests.factories import MemberFactory
from mutualis.imports.tests.helpers import csv_bytes, run_import, snapshot
from mutualis.members import services as member_services

HEADER = ["nom", "type", "siren", "rattachement"]
ROWS = [
    ["CCAS", "ccas", "263300011", "33063"],
    ["EHPAD", "ehpad", "263300029", "33063"],
    ["Refusé", "school", "263300037", "33063"],
    ["Médiathèque", "library", "263300045", "33063"],
]


@pytest.fixture
def refusing_service(monkeypatch):
    real = member_services.establishment_create

    def establishment_create(**kwargs):
        if kwargs["name"] == "Refusé":
            raise ValidationError({"name": "Nom refusé par le service."})
        return real(**kwargs)

    monkeypatch.setattr(member_services, "establishment_create", establishment_create)


def test_everything_is_rolled_back_and_the_row_reported(db, refusing_service):
    MemberFactory(commune__insee_code="33063")
    before = snapshot()

    report = run_import("establishments", "etablissements.csv", csv_bytes(HEADER, ROWS))

    assert not report.ok
    assert [(e.line, e.field, e.message) for e in report.errors] == [
        (4, "nom", "Nom refusé par le service.")
    ]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert snapshot() == before


def test_the_same_file_goes_through_once_the_service_accepts_it(db):
    MemberFactory(commune__insee_code="33063")

    report = run_import("establishments", "etablissements.csv", csv_bytes(HEADER, ROWS))

    assert report.ok
    assert report.created == 4
