"""Month calendars per technician and per member: holidays, absences, conflicts, figures."""

import datetime as dt
from decimal import Decimal

import pytest

from mutualis.core.tests.factories import UserFactory
from mutualis.staffing.selectors import month_calendar
from mutualis.staffing.tests.factories import (
    AbsenceFactory,
    PlannedDayFactory,
    StaffingAgreementFactory,
    TechnicianFactory,
)

pytestmark = pytest.mark.django_db


def test_a_technicians_month_flags_two_places_at_once_and_a_holiday():
    technician = TechnicianFactory()
    here, there = StaffingAgreementFactory(), StaffingAgreementFactory()
    PlannedDayFactory(agreement=here, technician=technician, date=dt.date(2026, 11, 3))
    PlannedDayFactory(agreement=there, technician=technician, date=dt.date(2026, 11, 3), half="pm")
    PlannedDayFactory(agreement=here, technician=technician, date=dt.date(2026, 11, 11))
    calendar = month_calendar(year=2026, month=11, technician=technician)
    days = {d.day.day: d for d in calendar.days}
    assert days[3].conflicts == ["deux interventions sur la même demi-journée"]
    assert days[11].holiday == "Armistice 1918"
    assert days[11].conflicts == ["planifié un jour férié"]
    assert calendar.conflict_count == 2
    assert calendar.planned_days == Decimal("2.5")
    assert calendar.agreed_days is None


def test_a_members_month_shows_agreed_planned_and_the_technicians_absence(client):
    technician = TechnicianFactory()
    agreement = StaffingAgreementFactory(days=Decimal("1"), per="week")
    PlannedDayFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, 8))
    AbsenceFactory(
        technician=technician, start_date=dt.date(2026, 9, 7), end_date=dt.date(2026, 9, 11)
    )
    client.force_login(UserFactory(read_only=True))
    response = client.get(
        f"/operateur/informaticiens/membres/{agreement.member.pk}/", {"mois": "2026-09"}
    )
    calendar = response.context["calendar"]
    assert calendar.agreed_days == Decimal("4.4")
    assert calendar.planned_days == 1
    page = response.content.decode()
    assert "planifié pendant une absence" in page
    assert 'role="alert"' in page
    assert '<th scope="row">' in page
