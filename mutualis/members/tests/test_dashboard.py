"""The operator's dashboard: coverage of the territory, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.core.tests.factories import UserFactory
from mutualis.members.selectors import territory_coverage
from mutualis.members.tests.factories import (
    CommuneFactory,
    EpciFactory,
    EpciMemberFactory,
    MemberFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


def test_coverage_counts_communes_epcis_and_population():
    epci = EpciMemberFactory()
    MembershipFactory(member=epci)
    joined = MemberFactory(commune=CommuneFactory(epci=epci.territory_epci, population=1000))
    MembershipFactory(member=joined)
    MemberFactory(commune=CommuneFactory(epci=epci.territory_epci, population=3000))
    CommuneFactory(epci=EpciFactory(), population=500)  # not a member, other EPCI
    totals, per_epci = territory_coverage()
    communes, epcis, population = totals
    assert (communes.covered, communes.total) == (1, 3)
    assert (epcis.covered, epcis.total) == (1, 2)
    assert (population.covered, population.total) == (1000, 4500)
    row = next(r for r in per_epci if r.label == epci.name)
    assert (row.covered, row.total, row.population_share) == (1, 2, 25.0)


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/operateur/").status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_members(client):
    client.force_login(UserFactory(manager=True))
    MembershipFactory()
    few = _dashboard_queries(client)
    for _ in range(15):
        MembershipFactory()
    assert _dashboard_queries(client) == few


def test_member_list_queries_do_not_grow_with_members(client):
    client.force_login(UserFactory(manager=True))
    MembershipFactory()
    with CaptureQueriesContext(connection) as first:
        client.get("/operateur/membres/")
    for _ in range(20):
        MembershipFactory()
    with CaptureQueriesContext(connection) as second:
        response = client.get("/operateur/membres/?status=member")
    assert len(second) == len(first)
    assert response.context["page"].paginator.count == 21


def test_member_list_filters_by_epci_and_status(client):
    epci = EpciMemberFactory()
    inside = MembershipFactory(
        member=MemberFactory(commune=CommuneFactory(epci=epci.territory_epci))
    ).member
    MemberFactory(commune=CommuneFactory(epci=epci.territory_epci))  # not a member
    MembershipFactory()  # a member elsewhere
    client.force_login(UserFactory(manager=True))
    response = client.get(
        "/operateur/membres/", {"epci": epci.territory_epci.siren, "status": "member"}
    )
    assert list(response.context["page"]) == [inside]


@pytest.mark.parametrize("typed", ["saint emilion", "SAINT-ÉMILION", "emilion", "33 394"])
def test_member_search_ignores_accents_case_and_hyphens(client, typed):
    emilion = MemberFactory(
        commune=CommuneFactory(name="Saint-Émilion", insee_code="33394"), name="Saint-Émilion"
    )
    MemberFactory(commune=CommuneFactory(name="Arès"), name="Arès")
    client.force_login(UserFactory(manager=True))
    found = list(client.get("/operateur/membres/", {"q": typed}).context["page"])
    assert found == [emilion]


def test_a_member_outside_the_territory_does_not_change_coverage(settings):
    from mutualis.members.tests.factories import DepartementFactory

    inside = MembershipFactory().member
    dordogne = DepartementFactory(code="24", name="Dordogne")
    MemberFactory(commune=CommuneFactory(departement=dordogne))  # not an adherent
    communes, _, _ = territory_coverage()[0]
    assert communes.total == 1
    settings.OPERATOR_DEPARTEMENTS = ["33", "24"]
    communes, _, _ = territory_coverage()[0]
    assert communes.total == 2
    assert inside.departement.code == "33"
