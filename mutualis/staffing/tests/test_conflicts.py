"""Conflicts: two places at once, planned on an absence, a holiday or a day off."""

import datetime as dt

import pytest

from mutualis.staffing.calendar import (
    ABSENCE,
    AFTERNOON,
    DAY_OFF,
    FULL,
    HOLIDAY,
    MORNING,
    OVERLAP,
    Absence,
    Slot,
    find_conflicts,
)
from mutualis.staffing.selectors import PlanningRow, planning_preview
from mutualis.staffing.tests.factories import (
    AbsenceFactory,
    PlannedDayFactory,
    StaffingAgreementFactory,
    TechnicianFactory,
)

TUESDAY = dt.date(2026, 9, 8)


def kinds(conflicts):
    return sorted(c.kind for c in conflicts)


def test_a_morning_and_an_afternoon_at_two_members_hold():
    slots = [Slot(1, 10, TUESDAY, MORNING), Slot(1, 20, TUESDAY, AFTERNOON)]
    assert find_conflicts(slots) == []


@pytest.mark.parametrize(("first", "second"), [(FULL, MORNING), (MORNING, MORNING), (FULL, FULL)])
def test_two_places_on_the_same_half_day_conflict(first, second):
    slots = [Slot(1, 10, TUESDAY, first), Slot(1, 20, TUESDAY, second)]
    assert kinds(find_conflicts(slots)) == [OVERLAP]


def test_two_technicians_the_same_day_do_not_conflict():
    assert find_conflicts([Slot(1, 10, TUESDAY, FULL), Slot(2, 10, TUESDAY, FULL)]) == []


def test_planned_on_an_absence_a_holiday_or_a_day_off():
    absences = [Absence(1, dt.date(2026, 9, 7), dt.date(2026, 9, 11), "Congé")]
    conflicts = find_conflicts(
        [
            Slot(1, 10, TUESDAY, FULL),
            Slot(2, 10, dt.date(2026, 11, 11), FULL),
            Slot(3, 10, dt.date(2026, 9, 9), MORNING),  # a Wednesday
        ],
        absences=absences,
        working_weekdays={3: [0, 1, 3, 4]},
    )
    assert kinds(conflicts) == [ABSENCE, DAY_OFF, HOLIDAY]
    assert next(c for c in conflicts if c.kind == HOLIDAY).detail == "Armistice 1918"


@pytest.mark.django_db
def test_the_preview_checks_new_rows_against_the_saved_planning_and_absences():
    technician = TechnicianFactory()
    agreement = StaffingAgreementFactory(technicians=[technician])
    other = StaffingAgreementFactory(technicians=[technician])
    PlannedDayFactory(agreement=other, technician=technician, date=TUESDAY, half=MORNING)
    AbsenceFactory(
        technician=technician, start_date=dt.date(2026, 9, 22), end_date=dt.date(2026, 9, 22)
    )
    row = PlanningRow(
        agreement=agreement,
        technician=technician,
        weekday=1,
        frequency="weekly",
        half=FULL,
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 9, 30),
    )
    preview = planning_preview([row])
    assert [s.day.day for s in preview.slots] == [1, 8, 15, 22, 29]
    assert {(c.kind, c.day) for c in preview.conflicts} == {
        (OVERLAP, TUESDAY),
        (ABSENCE, dt.date(2026, 9, 22)),
    }
