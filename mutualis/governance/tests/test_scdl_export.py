"""The register exported in the SCDL « délibérations » schema 2.1.5, checked by frictionless
against the schema (fixtures/scdl-deliberations-2.1.5.schema.json, its source in SOURCE.md)."""

import datetime as dt
import json
from pathlib import Path

import pytest
from frictionless import Resource, Schema

from mutualis.billing.models import OperatorIdentity
from mutualis.core.tests.factories import UserFactory
from mutualis.governance.tests.factories import BodyFactory
from mutualis.governance.tests.factories import deliberation as make
from mutualis.members.services import decision_create

SCHEMA = Path(__file__).parent / "fixtures" / "scdl-deliberations-2.1.5.schema.json"
pytestmark = pytest.mark.django_db


def _schema() -> Schema:
    return Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _identity():
    OperatorIdentity.objects.update_or_create(
        pk=OperatorIdentity.SINGLETON_PK,
        defaults={"name": "Syndicat mixte Gironde Numérique", "siret": "25330125000019"},
    )


def test_the_export_is_valid_against_the_scdl_schema(client, tmp_path):
    _identity()
    body = BodyFactory(name="Comité syndical")
    make(
        body=body,
        subject="Tarifs 2026, « charte »\nsur deux lignes",
        effectif=12,
        present=8,
        proxies=1,
        votes_for=8,
        votes_against=0,
        abstentions=1,
        budget_year="2026",
    )
    decision_create(
        member=None,
        body="Bureau",
        number="",
        date=dt.date(2025, 3, 4),
        subject="Sans vote ni matière",
    )  # a former decision, completed by guesses
    client.force_login(UserFactory(read_only=True))
    response = client.get("/operateur/instances/registre/export-scdl.csv")
    assert response.status_code == 200
    path = tmp_path / "deliberations.csv"
    path.write_bytes(response.content)

    schema = _schema()
    assert [f.name for f in schema.fields] == response.content.decode().splitlines()[0].split(",")
    report = Resource(path=path.name, basepath=str(tmp_path), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = Resource(path=path.name, basepath=str(tmp_path), schema=schema).read_rows()
    assert len(rows) == 2
    assert rows[1]["VOTE_REEL"] == 9 and rows[1]["DELIB_MATIERE_CODE"] == "7.6"
    assert rows[0]["DELIB_MATIERE_CODE"] == "7.10"


def test_an_export_that_breaks_the_schema_is_caught(tmp_path):
    """The check can fail: a SIRET of 13 digits and a matière code outside the pattern."""
    path = tmp_path / "bad.csv"
    header = _schema().field_names
    path.write_text(
        ",".join(header) + "\nX,2533012500001,1,2025-12-10,76,n,o,,,,,,,,,,\n", encoding="utf-8"
    )
    report = Resource(path=path.name, basepath=str(tmp_path), schema=_schema()).validate()
    assert not report.valid
    assert {row[0] for row in report.flatten(["fieldName"])} == {
        "COLL_SIRET",
        "DELIB_MATIERE_CODE",
    }
