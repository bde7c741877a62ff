import pytest

from mutualis.members.selectors import member_perimeter
from mutualis.members.tests.factories import (
    CommuneFactory,
    EpciMemberFactory,
    EstablishmentFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db


def test_an_epcis_communes_and_their_establishments_come_in_one_query(
    django_assert_num_queries,
):
    epci_member = EpciMemberFactory()
    communes = [
        MemberFactory(commune=CommuneFactory(epci=epci_member.territory_epci)) for _ in range(3)
    ]
    establishments = [EstablishmentFactory(parent=c) for c in communes]
    MemberFactory()  # another EPCI's commune
    with django_assert_num_queries(1):
        perimeter = list(member_perimeter(epci_member))
    assert set(perimeter) == {epci_member, *communes, *establishments}
