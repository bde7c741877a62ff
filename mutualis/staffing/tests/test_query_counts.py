"""List and calendar pages run the same number of queries with 1 or many rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory
from mutualis.staffing.tests.factories import (
    AbsenceFactory,
    PlannedDayFactory,
    StaffingAgreementFactory,
    TechnicianFactory,
    WorkLogEntryFactory,
)

pytestmark = pytest.mark.django_db


def grow(technician, member=None, days=(1, 2, 3)):
    agreement = StaffingAgreementFactory(
        technicians=[technician], **({"member": member} if member else {})
    )
    for day in days:
        date = dt.date(2026, 9, day)
        PlannedDayFactory(agreement=agreement, technician=technician, date=date, half="am")
        WorkLogEntryFactory(agreement=agreement, technician=technician, date=date, half="am")
    AbsenceFactory(technician=technician)
    return agreement


def queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "page",
    ["index", "technician", "member", "work_log", "portal", "planning", "agreement"],
)
def test_pages_in_constant_queries(client, page):
    technician = TechnicianFactory()
    agreement = grow(technician)
    member = agreement.member
    agent = AgentAccessFactory(member=member).user
    manager = UserFactory(manager=True)
    urls = {
        "index": (manager, "/operateur/informaticiens/", {"annee": 2026}),
        "technician": (
            manager,
            f"/operateur/informaticiens/techniciens/{technician.pk}/",
            {"mois": "2026-09"},
        ),
        "member": (
            manager,
            f"/operateur/informaticiens/membres/{member.pk}/",
            {"mois": "2026-09"},
        ),
        "work_log": (manager, "/operateur/informaticiens/journal/", {}),
        "portal": (agent, f"/mon-espace/{member.pk}/informaticien/", {"mois": "2026-09"}),
        "planning": (
            manager,
            "/operateur/informaticiens/planning/",
            {"start": "2026-07-01", "end": "2026-09-30"},
        ),
        "agreement": (manager, f"/operateur/informaticiens/conventions/{agreement.pk}/", {}),
    }
    user, url, params = urls[page]
    client.force_login(user)
    # Per-process caches (content types of the history panel) are warm in a running server:
    # a first view fills them, whichever test ran before in this process.
    queries(client, url, params)
    before = queries(client, url, params)
    # More technicians, members, days, absences; more days at the same member.
    for _ in range(3):
        other = TechnicianFactory()
        grow(other, days=(1, 2, 3, 4, 7, 8))
        grow(other, member=member, days=(9, 10))
    grow(technician, days=(14, 15, 16, 17))
    assert queries(client, url, params) == before
