"""The demo shared staff loads on top of the demo operator, twice without change."""

import datetime as dt

import pytest

from mutualis.catalog.models import Category, Unit
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.core.roles import OperatorRole
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import (
    AgentAccessFactory,
    EpciFactory,
    EpciMemberFactory,
    MembershipFactory,
)
from mutualis.metering.models import UsageRecord, UsageSource
from mutualis.staffing.demo import load_demo
from mutualis.staffing.models import PlannedDay, StaffingAgreement, WorkLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_operator():
    """What mutualis.demo leaves behind, in miniature."""
    ServiceFactory(
        code="informaticien", category=Category.SUPPORT, unit=Unit.DAY, eligible_kinds=["epci"]
    )
    UserFactory(username="technicien", operator_role=OperatorRole.TECHNICIAN)
    UserFactory(username="responsable", manager=True)
    epcis = [EpciMemberFactory(territory_epci=EpciFactory(population=5000 + i)) for i in range(8)]
    for member in epcis:
        MembershipFactory(member=member)
    agent = UserFactory(username="epci")
    AgentAccessFactory(user=agent, member=epcis[-1], includes_perimeter=True)
    return epcis[-1]


def test_three_technicians_six_epcis_a_logged_quarter_posted_as_usage(demo_operator):
    counts = load_demo()
    assert counts["techniciens"] == 3
    assert counts["conventions de mise à disposition"] == 6
    assert StaffingAgreement.objects.filter(member=demo_operator).exists()
    logged = WorkLogEntry.objects.all()
    assert logged.filter(date__gt=dt.date(2026, 9, 30)).count() == 0
    assert logged.filter(date__month=7).exists() and logged.filter(date__month=9).exists()
    assert logged.filter(member=demo_operator, acknowledged_at__isnull=False).exists()
    assert PlannedDay.objects.filter(date=dt.date(2026, 7, 14)).count() == 0
    records = UsageRecord.objects.filter(source=UsageSource.STAFFING, service__code="informaticien")
    assert records.values("member").distinct().count() == 6
    assert set(records.values_list("month", flat=True)) == {7, 8, 9}

    assert load_demo() == counts
    assert UsageRecord.objects.filter(source=UsageSource.STAFFING).count() == records.count()
