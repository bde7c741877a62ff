import datetime as dt
from decimal import Decimal

import pytest

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import (
    AgentAccessFactory,
    CommuneFactory,
    EpciFactory,
    EpciMemberFactory,
    MemberFactory,
    MembershipFactory,
)


@pytest.fixture
def manager(db):
    return UserFactory(manager=True)


@pytest.fixture
def territory(db):
    """An EPCI member and three member communes of 300, 1,500 and 12,000 inhabitants."""
    epci = EpciFactory(name="CC du Réolais")
    epci_member = MembershipFactory(member=EpciMemberFactory(territory_epci=epci)).member
    communes = [
        MembershipFactory(
            member=MemberFactory(
                commune=CommuneFactory(name=name, population=population, epci=epci)
            )
        ).member
        for name, population in (
            ("Blaignac", 300),
            ("Gironde-sur-Dropt", 1500),
            ("Libourne", 12000),
        )
    ]
    return {"epci": epci_member, "communes": communes}


@pytest.fixture
def agents(territory):
    small, middle, _big = territory["communes"]
    return {
        "small": AgentAccessFactory(member=small).user,
        "middle": AgentAccessFactory(member=middle).user,
    }


CALENDAR = {
    "needs_deadline": dt.date(2026, 3, 31),
    "offers_deadline": dt.date(2026, 5, 15),
    "award_date": dt.date(2026, 6, 15),
    "contract_start": dt.date(2026, 9, 1),
    "contract_end": dt.date(2029, 8, 31),
}

D = Decimal
