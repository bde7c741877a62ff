"""Utilisation per technician, days per member and task mix, and the annual export."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from mutualis.core.tests.factories import UserFactory
from mutualis.staffing.models import StaffingAgreement
from mutualis.staffing.selectors import agreement_figures, technician_utilisation
from mutualis.staffing.tests.factories import (
    AbsenceFactory,
    PlannedDayFactory,
    StaffingAgreementFactory,
    TechnicianFactory,
    WorkLogEntryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    technician = TechnicianFactory(working_weekdays=[1, 3])  # Tuesdays and Thursdays
    agreement = StaffingAgreementFactory(technicians=[technician], days=Decimal("1"), per="week")
    for day in (1, 8, 15):
        PlannedDayFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, day))
    WorkLogEntryFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, 1))
    WorkLogEntryFactory(
        agreement=agreement,
        technician=technician,
        date=dt.date(2026, 9, 8),
        half="am",
        category="training",
    )
    AbsenceFactory(
        technician=technician, start_date=dt.date(2026, 9, 21), end_date=dt.date(2026, 9, 25)
    )
    return agreement


def test_utilisation_counts_available_days_without_holidays_and_absences(agreement):
    (row,) = technician_utilisation(year=2026)
    september = 8
    # Tuesdays and Thursdays of September 2026: 9; the week of the 21st off: 7 left.
    assert row.available[september] == 7
    assert row.worked[september] == Decimal("1.5")
    assert row.rates[september] == 21
    assert row.available[10] == 8  # November 2026: 4 Tuesdays, 4 Thursdays, 11th a Wednesday
    assert row.total_worked == Decimal("1.5")


def test_figures_per_member_with_the_task_mix(agreement):
    (figures,) = agreement_figures(StaffingAgreement.objects.all(), year=2026, months=[9])
    assert figures.agreed == Decimal("4.4")  # 22 working days / 5
    assert (figures.planned, figures.worked) == (3, Decimal("1.5"))
    mix = dict(figures.category_mix)
    assert mix["Postes de travail"] == 1 and mix["Formation des agents"] == Decimal("0.5")


def test_the_annual_export_in_csv_and_xlsx(client, agreement):
    client.force_login(UserFactory(read_only=True))
    csv = client.get("/operateur/informaticiens/export/", {"annee": 2026, "format": "csv"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Membre;SIREN;Convention;Techniciens;Jours conventionnés")
    assert agreement.member.name in lines[1]
    xlsx = client.get("/operateur/informaticiens/export/", {"annee": 2026, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == agreement.member.name
    assert rows[1][6] == 1.5  # days worked
