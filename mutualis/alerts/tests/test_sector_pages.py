"""A member's agents define the sectors of their water network among their own meters."""

import pytest

from mutualis.alerts.models import MeterSector
from mutualis.alerts.tests.tenancy import water_meter
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_an_agent_defines_a_sector_of_its_meters_only(client):
    member, other = MemberFactory(), MemberFactory()
    district = water_meter(member, name="Compteur du quartier")
    school = water_meter(member, name="École")
    foreign = water_meter(other, name="Compteur voisin")
    agent = AgentAccessFactory(member=member).user
    client.force_login(agent)
    url = f"/mon-espace/{member.pk}/secteurs/"

    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'type="checkbox"' in body and "École" in body and "Compteur voisin" not in body

    refused = client.post(
        url, {"name": "Bourg", "district": district.pk, "behind": [school.pk, foreign.pk]}
    )
    assert refused.status_code == 400
    assert not MeterSector.objects.exists()

    same = client.post(url, {"name": "Bourg", "district": school.pk, "behind": [school.pk]})
    assert same.status_code == 400
    assert "aussi en aval" in same.content.decode()

    done = client.post(url, {"name": "Bourg", "district": district.pk, "behind": [school.pk]})
    assert done.status_code == 302
    sector = MeterSector.objects.get()
    assert (sector.member, sector.district, list(sector.behind.all())) == (
        member,
        district,
        [school],
    )
