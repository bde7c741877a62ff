"""A planned day entered by mistake is deleted from the calendars, by managers only."""

import datetime as dt

import pytest

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory
from mutualis.staffing.models import PlannedDay
from mutualis.staffing.tests.factories import PlannedDayFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


def url(planned):
    return f"/operateur/informaticiens/journees/{planned.pk}/supprimer/"


@pytest.fixture
def planned():
    return PlannedDayFactory(date=dt.date(2026, 9, 8))


def test_a_manager_deletes_from_the_calendar_and_goes_back_to_it(client, planned):
    client.force_login(UserFactory(manager=True))
    calendar = f"/operateur/informaticiens/membres/{planned.member_id}/"
    page = client.get(calendar, {"mois": "2026-09"}).content.decode()
    assert url(planned) in page and "Supprimer" in page
    response = client.post(url(planned), {"next": calendar})
    assert response.status_code == 302
    assert response["Location"] == f"{calendar}?mois=2026-09"
    assert not PlannedDay.objects.exists()


def test_an_outside_next_is_ignored(client, planned):
    client.force_login(UserFactory(manager=True))
    response = client.post(url(planned), {"next": "https://ailleurs.example/"})
    assert response["Location"] == (
        f"/operateur/informaticiens/techniciens/{planned.technician_id}/?mois=2026-09"
    )


def test_only_planners_delete_and_only_by_post(client, planned):
    client.force_login(UserFactory(manager=True))
    assert client.get(url(planned)).status_code == 405
    for user in (
        TechnicianFactory().user,
        UserFactory(read_only=True),
        AgentAccessFactory(member=planned.member).user,
    ):
        client.force_login(user)
        assert client.post(url(planned)).status_code == 403
    assert PlannedDay.objects.filter(pk=planned.pk).exists()
    client.force_login(TechnicianFactory().user)
    page = client.get(f"/operateur/informaticiens/techniciens/{planned.technician_id}/")
    assert "supprimer/" not in page.content.decode()


def test_an_unknown_day_is_a_404(client):
    client.force_login(UserFactory(manager=True))
    assert client.post("/operateur/informaticiens/journees/999999/supprimer/").status_code == 404
