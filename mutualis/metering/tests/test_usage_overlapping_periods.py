"""A reading may not overlap a reading of another period kind (months, quarter, year) of the
same member and service: the run would count the same consumption twice."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from mutualis.imports.services import import_file
from mutualis.metering.models import UsageRecord, UsageSource
from mutualis.metering.services import UsageReading, usage_record_set
from mutualis.metering.tests.conftest import csv_file


def _record(world, period, month, quantity="10"):
    return usage_record_set(
        reading=UsageReading(
            member=world["member"],
            service=world["backup"],
            period=period,
            year=2026,
            month=month,
            quantity=Decimal(quantity),
        ),
        source=UsageSource.MANUAL,
    )


def test_the_service_refuses_a_quarter_over_months_and_a_year_over_a_quarter(usage_world):
    for month in range(3, 13):
        _record(usage_world, "month", month)
    with pytest.raises(ValidationError) as error:
        _record(usage_world, "quarter", 10)
    assert "relevé mensuel 10/2026 déjà enregistré" in error.value.message_dict["period"][0]
    with pytest.raises(ValidationError) as error:
        _record(usage_world, "year", 1)
    assert "relevé mensuel 03/2026" in error.value.message_dict["period"][0]
    assert UsageRecord.objects.count() == 10
    # Months and quarters that do not overlap, and a new reading of the same period, are fine.
    UsageRecord.objects.filter(month__gte=10).delete()
    assert _record(usage_world, "quarter", 10)[1] == "created"
    assert _record(usage_world, "quarter", 10, "12")[1] == "replaced"
    with pytest.raises(ValidationError, match="relevé trimestriel T4 2026"):
        _record(usage_world, "month", 11)


def test_the_import_refuses_overlaps_with_the_database_and_within_the_file(usage_world):
    _record(usage_world, "quarter", 10)
    siren = usage_world["member"].siren
    content = csv_file(
        [
            [siren, "sauvegarde", "2026-04", "1", ""],
            [siren, "sauvegarde", "2026-05", "1", ""],
            [siren, "sauvegarde", "2026-T2", "3", ""],
            [siren, "sauvegarde", "2026-11", "1", ""],
            [siren, "sauvegarde", "2026", "9", ""],
            [siren, "sauvegarde", "2026-T4", "4", ""],
        ]
    )
    report = import_file(kind="usage", file_name="c.csv", content=content)
    errors = {e.line: e.message for e in report.errors}
    assert set(errors) == {4, 5, 6}
    assert "relevé mensuel 04/2026 de la ligne 2" in errors[4]
    assert "relevé trimestriel T4 2026 déjà enregistré" in errors[5]
    assert "relevé trimestriel T4 2026 déjà enregistré" in errors[6]
    assert UsageRecord.objects.count() == 1  # nothing written; the T4 row replaces, it is fine


def test_the_api_refuses_an_overlapping_reading(accountant, usage_world):
    _record(usage_world, "year", 1)
    api = APIClient()
    api.force_authenticate(accountant)
    payload = {
        "member": usage_world["member"].pk,
        "service": usage_world["backup"].pk,
        "period": "quarter",
        "year": 2026,
        "month": 10,
        "quantity": "3",
    }
    response = api.post("/api/v1/usage/", payload, format="json")
    assert response.status_code == 400
    assert "relevé annuel 2026 déjà enregistré" in response.json()["period"][0]
    assert UsageRecord.objects.count() == 1
