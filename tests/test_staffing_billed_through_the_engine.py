"""Shared staff is billed like any other service: days worked become usage, the tariff engine
prices them in the year's run. No side path."""

import datetime as dt

import pytest

from mutualis.billing.models import ChargeLine
from mutualis.billing.services import runs, tariffs
from mutualis.staffing.services import staffing_usage_post
from mutualis.staffing.tests.factories import (
    StaffingAgreementFactory,
    TechnicianFactory,
    WorkLogEntryFactory,
)

TARIFF = """
service = "{code}"
year = 2026
unit = "jours"
prorata_temporis = false

[usage]
mode = "flow"
year = "sum"

[[components]]
type = "unit_price"
price = 320
"""


@pytest.mark.django_db
def test_days_worked_are_billed_by_the_years_run():
    technician = TechnicianFactory()
    agreement = StaffingAgreementFactory(technicians=[technician])
    for day in (dt.date(2026, 9, 8), dt.date(2026, 9, 15), dt.date(2026, 10, 6)):
        WorkLogEntryFactory(agreement=agreement, technician=technician, date=day)
    for month in (9, 10):
        staffing_usage_post(2026, month)

    tariff = tariffs.tariff_import_text(
        text=TARIFF.format(code=agreement.service.code), source="informaticien.toml"
    )
    tariffs.tariff_adopt_by_vote(
        tariff=tariff, body="Comité syndical", number="2025-42", date=dt.date(2025, 12, 10)
    )
    run = runs.run_request(year=2026)
    runs.run_compute(run_id=run.pk)

    line = ChargeLine.objects.get(run=run, service=agreement.service)
    assert line.member_id == agreement.member_id
    assert line.amount_cents == 3 * 320_00
    assert "3 jours × 320,00" in line.explanation
