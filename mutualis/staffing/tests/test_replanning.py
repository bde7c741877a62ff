"""Re-planning a period is idempotent: a day already planned is neither a conflict nor
created again, and the preview says how many already exist."""

import datetime as dt

import pytest

from mutualis.core.tests.factories import UserFactory
from mutualis.staffing.models import Placement, PlannedDay
from mutualis.staffing.tests.factories import (
    PlannedDayFactory,
    StaffingAgreementFactory,
    TechnicianFactory,
)
from mutualis.staffing.tests.test_planning_grid import FIELDS, grid

pytestmark = pytest.mark.django_db
URL = "/operateur/informaticiens/planning/"
DECEMBER = {"start": "2026-12-01", "end": "2026-12-31"}


@pytest.fixture
def planned_december(client):
    """Two technicians at two members, saved once through the grid."""
    technicians = [TechnicianFactory(), TechnicianFactory()]
    agreements = [StaffingAgreementFactory(technicians=[t]) for t in technicians]
    rows = [
        (agreements[0].pk, technicians[0].pk, 1, "weekly", "full", *DECEMBER.values()),
        (agreements[1].pk, technicians[1].pk, 3, "biweekly", "am", *DECEMBER.values()),
    ]
    client.force_login(UserFactory(manager=True))
    assert client.post(URL, grid(rows) | {"action": "save"}).status_code == 302
    return technicians, agreements


def prefilled_grid(client) -> dict:
    """The grid as the page pre-fills it for December, submitted untouched."""
    formset = client.get(URL, DECEMBER).context["formset"]
    rows = []
    for form in formset.forms:
        initial = {"frequency": "weekly", "half": "full"} | form.initial
        rows.append(tuple(initial.get(name, "") or "" for name in FIELDS))
    return grid([tuple(str(v) for v in row) for row in rows])


def test_the_prefilled_grid_previews_without_conflicts_and_counts_the_existing(
    client, planned_december
):
    before = PlannedDay.objects.count()
    # Tuesdays of December 2026: 1, 8, 15, 22, 29; Thursdays every other week: 3, 17, 31.
    assert before == 5 + 3
    response = client.post(URL, prefilled_grid(client) | {"action": "preview"})
    preview = response.context["preview"]
    assert preview.conflicts == []
    assert preview.slots == []
    assert preview.existing == before
    page = response.content.decode()
    assert "8 occurrences déjà planifiées" in page
    assert "deux interventions sur la même demi-journée" not in page


def test_saving_the_same_period_twice_changes_nothing(client, planned_december):
    before = (PlannedDay.objects.count(), Placement.objects.count())
    saved = client.post(URL, prefilled_grid(client) | {"action": "save"})
    assert saved.status_code == 302
    assert (PlannedDay.objects.count(), Placement.objects.count()) == before
    # Even "save despite conflicts" does not double anything.
    client.post(URL, prefilled_grid(client) | {"action": "save", "accept_conflicts": "1"})
    assert (PlannedDay.objects.count(), Placement.objects.count()) == before


def test_a_changed_rhythm_adds_only_the_missing_days(client, planned_december):
    technicians, agreements = planned_december
    # Every Thursday instead of every other: 10 and 24 December are new.
    rows = [(agreements[1].pk, technicians[1].pk, 3, "weekly", "am", *DECEMBER.values())]
    preview = client.post(URL, grid(rows) | {"action": "preview"}).context["preview"]
    assert (preview.per_row, preview.existing_per_row, preview.conflicts) == ([2], [3], [])
    client.post(URL, grid(rows) | {"action": "save"})
    thursdays = PlannedDay.objects.filter(technician=technicians[1]).values_list("date", flat=True)
    assert sorted(d.day for d in thursdays) == [3, 10, 17, 24, 31]


def test_an_existing_one_off_day_is_not_duplicated_but_a_different_half_still_conflicts(client):
    technician = TechnicianFactory()
    agreement = StaffingAgreementFactory(technicians=[technician])
    PlannedDayFactory(agreement=agreement, technician=technician, date=dt.date(2026, 12, 1))
    PlannedDayFactory(
        agreement=agreement, technician=technician, date=dt.date(2026, 12, 8), half="am"
    )
    client.force_login(UserFactory(manager=True))
    rows = [(agreement.pk, technician.pk, 1, "weekly", "full", *DECEMBER.values())]
    preview = client.post(URL, grid(rows) | {"action": "preview"}).context["preview"]
    assert preview.existing == 1
    assert [(c.kind, c.day) for c in preview.conflicts] == [("overlap", dt.date(2026, 12, 8))]
