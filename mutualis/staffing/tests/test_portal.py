"""The member's agents see their own technician's days and acknowledge them."""

import datetime as dt

import pytest

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory
from mutualis.staffing.tests.factories import (
    AbsenceFactory,
    PlannedDayFactory,
    StaffingAgreementFactory,
    WorkLogEntryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    agreement = StaffingAgreementFactory()
    return WorkLogEntryFactory(agreement=agreement, tasks="Sauvegarde du serveur de la CC.")


def url(member, suffix=""):
    return f"/mon-espace/{member.pk}/informaticien/{suffix}"


def test_the_agent_sees_the_log_calendar_and_figures(client, entry):
    agent = AgentAccessFactory(member=entry.member).user
    PlannedDayFactory(agreement=entry.agreement, technician=entry.technician, date=entry.date)
    AbsenceFactory(
        technician=entry.technician,
        kind="sick",
        start_date=dt.date(2026, 9, 10),
        end_date=dt.date(2026, 9, 10),
    )
    client.force_login(agent)
    response = client.get(url(entry.member), {"mois": "2026-09"})
    page = response.content.decode()
    assert "Sauvegarde du serveur de la CC." in page
    assert "Maladie" not in page  # the reason of an absence stays with the operator
    figures = response.context["figures"][0]
    assert (figures.planned, figures.worked) == (1, 1)


def test_another_members_agent_gets_nothing(client, entry):
    other = StaffingAgreementFactory()
    client.force_login(AgentAccessFactory(member=other.member).user)
    assert client.get(url(entry.member)).status_code == 404
    response = client.post(url(entry.member, f"journal/{entry.pk}/viser/"))
    assert response.status_code == 404
    # Nor through its own space with the other member's entry.
    response = client.post(url(other.member, f"journal/{entry.pk}/viser/"))
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.acknowledged_at is None


def test_the_agent_acknowledges_once(client, entry):
    agent = AgentAccessFactory(member=entry.member).user
    client.force_login(agent)
    response = client.post(url(entry.member, f"journal/{entry.pk}/viser/"))
    assert response.status_code == 302
    entry.refresh_from_db()
    first = entry.acknowledged_at
    assert entry.acknowledged_by == agent and first is not None
    client.post(url(entry.member, f"journal/{entry.pk}/viser/"))
    entry.refresh_from_db()
    assert entry.acknowledged_at == first


def test_operator_staff_do_not_acknowledge_for_the_member(client, entry):
    client.force_login(UserFactory(manager=True))
    client.post(url(entry.member, f"journal/{entry.pk}/viser/"))
    entry.refresh_from_db()
    assert entry.acknowledged_at is None
