"""The member's agent contests a logged day with a short reason; the operator sees it."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory
from mutualis.staffing.models import WorkLogEntry
from mutualis.staffing.tests.factories import StaffingAgreementFactory, WorkLogEntryFactory

pytestmark = pytest.mark.django_db
REASON = "Le technicien était absent ce jour-là."


@pytest.fixture
def entry():
    return WorkLogEntryFactory(date=dt.date(2026, 9, 8))


def url(member, entry):
    return f"/mon-espace/{member.pk}/informaticien/journal/{entry.pk}/contester/"


def test_the_agent_contests_and_the_operator_sees_it(client, entry):
    agent = AgentAccessFactory(member=entry.member).user
    client.force_login(agent)
    portal = client.get(f"/mon-espace/{entry.member.pk}/informaticien/", {"mois": "2026-09"})
    assert url(entry.member, entry) in portal.content.decode()
    response = client.post(url(entry.member, entry), {"reason": f"  {REASON} "})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.contested_by, entry.contested_reason) == (agent, REASON)
    assert entry.contested_at is not None and entry.acknowledged_at is None

    client.force_login(UserFactory(manager=True))
    listing = client.get("/operateur/informaticiens/journal/").content.decode()
    assert "Contestée par" in listing and REASON in listing
    calendar = client.get(
        f"/operateur/informaticiens/membres/{entry.member_id}/", {"mois": "2026-09"}
    ).content.decode()
    assert f"Contestée : {REASON}" in calendar


def test_a_reason_is_required(client, entry):
    client.force_login(AgentAccessFactory(member=entry.member).user)
    client.post(url(entry.member, entry), {"reason": "   "})
    client.post(url(entry.member, entry), {"reason": "x" * 301})
    entry.refresh_from_db()
    assert entry.contested_at is None


def test_a_signed_off_day_cannot_be_contested(client, entry):
    client.force_login(AgentAccessFactory(member=entry.member).user)
    client.post(f"/mon-espace/{entry.member.pk}/informaticien/journal/{entry.pk}/viser/")
    client.post(url(entry.member, entry), {"reason": REASON})
    entry.refresh_from_db()
    assert entry.acknowledged_at is not None and entry.contested_at is None


def test_another_members_agent_gets_a_404(client, entry):
    other = StaffingAgreementFactory()
    client.force_login(AgentAccessFactory(member=other.member).user)
    assert client.post(url(entry.member, entry), {"reason": REASON}).status_code == 404
    assert client.post(url(other.member, entry), {"reason": REASON}).status_code == 404
    entry.refresh_from_db()
    assert entry.contested_at is None


def test_operator_staff_do_not_contest_for_the_member(client, entry):
    client.force_login(UserFactory(manager=True))
    client.post(url(entry.member, entry), {"reason": REASON})
    entry.refresh_from_db()
    assert entry.contested_at is None


def test_the_api_contest_action(entry):
    def api(user):
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    path = f"/api/v1/staffing/work-log/{entry.pk}/contest/"
    outsider = AgentAccessFactory(member=StaffingAgreementFactory().member).user
    assert api(outsider).post(path, {"reason": REASON}, format="json").status_code == 404
    assert api(UserFactory(manager=True)).post(path, {"reason": REASON}).status_code == 403
    agent = AgentAccessFactory(member=entry.member).user
    assert api(agent).post(path, {}, format="json").status_code == 400
    response = api(agent).post(path, {"reason": REASON}, format="json")
    assert response.status_code == 200
    assert response.json()["contested_reason"] == REASON
    assert WorkLogEntry.objects.get(pk=entry.pk).contested_by == agent
