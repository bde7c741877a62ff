"""A quarter for 3 technicians × 6 members on one screen: grid, preview, conflicts, save."""

import datetime as dt

import pytest

from mutualis.core.tests.factories import UserFactory
from mutualis.staffing.models import Placement, PlannedDay
from mutualis.staffing.tests.factories import (
    AbsenceFactory,
    StaffingAgreementFactory,
    TechnicianFactory,
)

pytestmark = pytest.mark.django_db
URL = "/operateur/informaticiens/planning/"
Q4 = {"start": "2026-10-01", "end": "2026-12-31"}
FIELDS = ("agreement", "technician", "weekday", "frequency", "half", "start", "end")


@pytest.fixture
def world():
    technicians = [TechnicianFactory() for _ in range(3)]
    agreements = [StaffingAgreementFactory(technicians=[technicians[i // 2]]) for i in range(6)]
    return technicians, agreements


def grid(rows):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "200",
    }
    for index, row in enumerate(rows):
        for name, value in zip(FIELDS, row, strict=True):
            data[f"form-{index}-{name}"] = value
    return data


def quarter_rows(technicians, agreements):
    """Each technician: two members, Tuesday + Thursday weekly, or a half-day every other week."""
    rows = []
    for index, agreement in enumerate(agreements):
        technician = technicians[index // 2]
        weekday = 1 if index % 2 == 0 else 3
        frequency = "weekly" if index % 2 == 0 else "biweekly"
        rows.append((agreement.pk, technician.pk, weekday, frequency, "full", *Q4.values()))
    rows.append(("", "", "", "weekly", "full", *Q4.values()))  # a blank line is ignored
    return rows


def test_the_grid_lists_one_line_per_technician_and_member(client, world):
    client.force_login(UserFactory(manager=True))
    response = client.get(URL, Q4)
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 6 + 3
    assert b'aria-label="Jour \xe2\x80\x94 ligne 1"' in response.content


def test_preview_then_save_a_quarter_in_one_screen(client, world):
    technicians, agreements = world
    client.force_login(UserFactory(manager=True))
    data = grid(quarter_rows(technicians, agreements))
    preview = client.post(URL, data | {"action": "preview"})
    assert preview.status_code == 200
    assert not PlannedDay.objects.exists()
    assert preview.context["preview"].conflicts == []
    # Tuesdays of Q4 2026: 13, none a holiday; Thursdays every other week from 1 Oct: 7, 1 Oct
    # to 24 Dec, none a holiday (11 Nov is a Wednesday, 1 Nov a Sunday).
    assert preview.context["preview"].per_row == [13, 7] * 3

    saved = client.post(URL, data | {"action": "save"})
    assert saved.status_code == 302
    assert Placement.objects.count() == 6
    assert PlannedDay.objects.count() == 60
    assert not PlannedDay.objects.filter(date=dt.date(2026, 12, 25)).exists()


def test_conflicts_are_shown_and_need_a_confirmation(client, world):
    technicians, agreements = world
    AbsenceFactory(
        technician=technicians[0], start_date=dt.date(2026, 10, 5), end_date=dt.date(2026, 10, 9)
    )
    rows = [
        (agreements[0].pk, technicians[0].pk, 1, "weekly", "full", "2026-10-01", "2026-10-31"),
        (agreements[1].pk, technicians[0].pk, 1, "weekly", "am", "2026-10-01", "2026-10-31"),
    ]
    client.force_login(UserFactory(manager=True))
    preview = client.post(URL, grid(rows) | {"action": "preview"})
    conflicts = preview.context["preview"].conflicts
    assert {c.kind for c in conflicts} == {"overlap", "absence"}
    assert "planifié pendant une absence" in preview.content.decode()
    assert b'role="alert"' in preview.content

    refused = client.post(URL, grid(rows) | {"action": "save"})
    assert refused.status_code == 200
    assert not PlannedDay.objects.exists()
    accepted = client.post(URL, grid(rows) | {"action": "save", "accept_conflicts": "1"})
    assert accepted.status_code == 302
    assert PlannedDay.objects.count() == 8


def test_a_line_outside_its_agreement_is_refused(client, world):
    technicians, agreements = world
    rows = [(agreements[0].pk, technicians[0].pk, 1, "weekly", "full", "2027-01-01", "2027-03-31")]
    client.force_login(UserFactory(manager=True))
    response = client.post(URL, grid(rows) | {"action": "save"})
    assert response.status_code == 200
    assert "Les dates sortent de la convention." in response.content.decode()
    assert not Placement.objects.exists()


def test_only_planners_plan(client, world):
    client.force_login(TechnicianFactory().user)
    assert client.get(URL).status_code == 403


def test_the_next_period_carries_the_saved_rhythm_on(client, world):
    technicians, agreements = world
    client.force_login(UserFactory(manager=True))
    rows = [(agreements[0].pk, technicians[0].pk, 3, "biweekly", "am", "2026-07-01", "2026-09-30")]
    client.post(URL, grid(rows) | {"action": "save"})
    response = client.get(URL, Q4)
    first = response.context["formset"].forms[0]
    assert first.initial == {
        "agreement": agreements[0].pk,
        "technician": technicians[0].pk,
        "weekday": 3,
        "frequency": "biweekly",
        "half": "am",
        "start": dt.date(2026, 10, 1),
        "end": dt.date(2026, 12, 31),
    }
    assert response.context["formset"].total_form_count() == 6 + 3
