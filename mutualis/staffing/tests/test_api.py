"""The JSON API: agents read their members' rows and acknowledge; technicians log."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory
from mutualis.staffing.models import WorkLogEntry
from mutualis.staffing.tests.factories import (
    PlannedDayFactory,
    StaffingAgreementFactory,
    TechnicianFactory,
    WorkLogEntryFactory,
)

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_an_agent_lists_only_its_members_rows():
    mine, theirs = StaffingAgreementFactory(), StaffingAgreementFactory()
    for agreement in (mine, theirs):
        PlannedDayFactory(agreement=agreement)
        WorkLogEntryFactory(agreement=agreement)
    client = api(AgentAccessFactory(member=mine.member).user)
    for path in ("agreements", "planned-days", "work-log"):
        rows = client.get(f"/api/v1/staffing/{path}/").json()["results"]
        assert [row["member"] for row in rows] == [mine.member.pk], path
    days = client.get("/api/v1/staffing/planned-days/", {"from": "2026-10-01"}).json()
    assert days["results"] == []


def test_a_technician_logs_through_the_api_and_an_agent_cannot():
    technician = TechnicianFactory()
    agreement = StaffingAgreementFactory(technicians=[technician])
    payload = {
        "technician": technician.pk,
        "member": agreement.member.pk,
        "date": "2026-09-08",
        "half": "pm",
        "category": "software",
        "tasks": "Paramétrage du logiciel de paie.",
    }
    created = api(technician.user).post("/api/v1/staffing/work-log/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["agreement"] == agreement.pk
    agent = AgentAccessFactory(member=agreement.member).user
    refused = api(agent).post("/api/v1/staffing/work-log/", payload, format="json")
    assert refused.status_code == 403
    other = TechnicianFactory()
    colleague = api(other.user).post(
        "/api/v1/staffing/work-log/", payload | {"half": "am"}, format="json"
    )
    assert colleague.status_code == 400


def test_an_agent_acknowledges_through_the_api():
    entry = WorkLogEntryFactory(date=dt.date(2026, 9, 8))
    agent = AgentAccessFactory(member=entry.member).user
    response = api(agent).post(f"/api/v1/staffing/work-log/{entry.pk}/acknowledge/")
    assert response.status_code == 200
    assert response.json()["acknowledged_by"] == agent.pk
    manager = api(UserFactory(manager=True))
    other = WorkLogEntryFactory(date=dt.date(2026, 9, 9))
    assert manager.post(f"/api/v1/staffing/work-log/{other.pk}/acknowledge/").status_code == 403
    assert WorkLogEntry.objects.get(pk=other.pk).acknowledged_at is None
