"""Planning more days than the agreement grants is flagged, never silently accepted: in the
grid's preview (saving needs a confirmation), on the agreement page, after a one-off."""

import datetime as dt
from decimal import Decimal

import pytest

from mutualis.core.tests.factories import UserFactory
from mutualis.staffing.models import PlannedDay
from mutualis.staffing.tests.factories import (
    PlannedDayFactory,
    StaffingAgreementFactory,
    TechnicianFactory,
)
from mutualis.staffing.tests.test_planning_grid import grid

pytestmark = pytest.mark.django_db
URL = "/operateur/informaticiens/planning/"
SEPTEMBER = ("2026-09-01", "2026-09-30")


@pytest.fixture
def setup(client):
    """One day a week at a member; the manager is logged in."""
    technician = TechnicianFactory()
    agreement = StaffingAgreementFactory(
        technicians=[technician], days=Decimal("1"), per="week", reference="MAD-1J"
    )
    client.force_login(UserFactory(manager=True))
    return technician, agreement


def two_days_a_week(technician, agreement):
    return grid(
        [
            (agreement.pk, technician.pk, 1, "weekly", "full", *SEPTEMBER),
            (agreement.pk, technician.pk, 3, "weekly", "full", *SEPTEMBER),
        ]
    )


def test_the_preview_flags_the_weeks_beyond_the_quota_and_saving_needs_a_confirmation(
    client, setup
):
    technician, agreement = setup
    data = two_days_a_week(technician, agreement)
    preview = client.post(URL, data | {"action": "preview"}).content.decode()
    # Tuesdays and Thursdays of September 2026 (the 1st is a Tuesday): every week has two
    # days for one, but the week of 28/09 (Tuesday 29 only).
    assert "4 dépassements du quota des conventions" in preview
    assert "semaine du 07/09/2026 au 13/09/2026 : 2 j planifiés pour un quota de 1 j" in preview
    assert "Enregistrer malgré le dépassement du quota" in preview

    refused = client.post(URL, data | {"action": "save"}, follow=True).content.decode()
    assert "4 dépassement(s) du quota de la convention : confirmez" in refused
    assert not PlannedDay.objects.exists()
    client.post(URL, data | {"action": "save", "accept_conflicts": "1"})
    assert PlannedDay.objects.filter(agreement=agreement).count() == 9


def test_days_already_planned_count_towards_the_quota(client, setup):
    technician, agreement = setup
    PlannedDayFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, 7))
    data = grid([(agreement.pk, technician.pk, 3, "weekly", "am", "2026-09-07", "2026-09-13")])
    preview = client.post(URL, data | {"action": "preview"}).content.decode()
    assert "1,5 j planifiés pour un quota de 1 j" in preview


def test_a_grid_within_the_quota_says_nothing(client, setup):
    technician, agreement = setup
    data = grid([(agreement.pk, technician.pk, 1, "weekly", "full", *SEPTEMBER)])
    preview = client.post(URL, data | {"action": "preview"}).content.decode()
    assert "dépassement" not in preview
    client.post(URL, data | {"action": "save"})
    assert PlannedDay.objects.count() == 5


def test_the_agreement_page_lists_the_periods_beyond_the_quota(client):
    technician = TechnicianFactory()
    agreement = StaffingAgreementFactory(
        technicians=[technician], days=Decimal("2"), per="month", reference="MAD-2JM"
    )
    for day in (1, 2, 3):
        PlannedDayFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, day))
    PlannedDayFactory(agreement=agreement, technician=technician, date=dt.date(2026, 10, 1))
    client.force_login(UserFactory(operator_role="read_only"))
    page = client.get(f"/operateur/informaticiens/conventions/{agreement.pk}/", {"annee": 2026})
    text = page.content.decode()
    assert "1 dépassement du quota en 2026" in text
    assert "septembre 2026" in text and "3 j planifiés pour un quota de 2 j (1 j de trop)" in text
    assert "octobre 2026" not in text
    quiet = client.get(f"/operateur/informaticiens/conventions/{agreement.pk}/", {"annee": 2027})
    assert "Aucun dépassement du quota (2 j par mois) en 2027." in quiet.content.decode()


def test_a_one_off_beyond_the_quota_is_planned_with_a_warning(client, setup):
    technician, agreement = setup
    PlannedDayFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, 8))
    response = client.post(
        "/operateur/informaticiens/interventions/nouvelle/",
        {
            "agreement": agreement.pk,
            "technician": technician.pk,
            "date": "2026-09-10",
            "half": "full",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "intervention est planifiée." in text
    assert "Au-delà de la convention MAD-1J (1 j par semaine)" in text
    assert "semaine du 07/09/2026 au 13/09/2026, 2 j planifiés pour un quota de 1 j." in text
