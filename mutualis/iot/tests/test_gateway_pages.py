"""Gateways are registered and edited in the application: by the operator's IoT managers for
any owner, by a member's agents for the member's own gateways only; their identifier is
checked, French errors are said, and a refused write changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from mutualis.iot.models import Gateway
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def rows():
    return sorted(Gateway.objects.values_list("eui", "name", "owner_id", "commune_id"))


def test_a_manager_registers_a_members_gateway_and_edits_it(manager, member):
    response = client_for(manager).post(
        reverse("iot:gateway_create"),
        {
            "eui": "B8:27:EB:FF:FE:61:CC:3D",
            "name": "Château d'eau",
            "owner": member.pk,
            "commune": member.commune.insee_code,
            "latitude": "44,85",
            "longitude": "-0,6",
        },
    )
    assert response.status_code == 302
    gateway = Gateway.objects.get()
    assert (gateway.eui, gateway.owner, gateway.commune) == (
        "b827ebfffe61cc3d",
        member,
        member.commune,
    )
    assert str(gateway.latitude) == "44.850000"
    url = reverse("iot:gateway_update", args=[gateway.pk])
    client_for(manager).post(url, {"eui": "0000000000000000", "name": "Réservoir", "owner": ""})
    gateway.refresh_from_db()
    assert (gateway.eui, gateway.name, gateway.owner) == ("b827ebfffe61cc3d", "Réservoir", None)
    listing = client_for(manager).get(reverse("iot:gateway_list")).content.decode()
    assert "Réservoir" in listing and url in listing


def test_a_wrong_identifier_or_a_taken_one_is_said_in_french(manager, member):
    Gateway.objects.create(eui="b827ebfffe61cc3d")
    before = rows()
    client = client_for(manager)
    wrong = client.post(reverse("iot:gateway_create"), {"eui": "Passerelle n°1", "name": "X"})
    assert wrong.status_code == 400
    assert "n&#x27;est pas un identifiant de passerelle" in wrong.content.decode()
    taken = client.post(reverse("iot:gateway_create"), {"eui": "B827EBFFFE61CC3D"})
    assert "La passerelle b827ebfffe61cc3d est déjà enregistrée." in taken.content.decode()
    far = client.post(reverse("iot:gateway_create"), {"eui": "b827ebfffe000001", "latitude": "95"})
    assert far.status_code == 400 and "« 95 » : 90 au plus." in far.content.decode()
    assert rows() == before


def test_read_only_staff_see_the_gateways_but_do_not_write(reader, member):
    gateway = Gateway.objects.create(eui="b827ebfffe61cc3d", owner=member)
    client = client_for(reader)
    page = client.get(reverse("iot:gateway_list")).content.decode()
    assert "b827ebfffe61cc3d" in page and "Ajouter une passerelle" not in page
    before = rows()
    body = {"eui": "b827ebfffe000002", "name": "Toit"}
    assert client.post(reverse("iot:gateway_create"), body).status_code == 403
    update = reverse("iot:gateway_update", args=[gateway.pk])
    assert client.post(update, body).status_code == 403
    assert rows() == before


def test_a_members_agent_registers_and_edits_its_own_gateways_only(agent, member):
    other = MemberFactory()
    theirs = Gateway.objects.create(eui="b827ebfffe0000bb", name="Leur toit", owner=other)
    operators = Gateway.objects.create(eui="b827ebfffe0000cc", name="Toit du syndicat")
    client = client_for(agent)
    mine_url = reverse("iot_portal:gateways", args=[member.pk])
    created = client.post(mine_url, {"eui": "b827ebfffe0000aa", "name": "École", "owner": other.pk})
    assert created.status_code == 302
    mine = Gateway.objects.get(eui="b827ebfffe0000aa")
    assert mine.owner == member  # the member's, whatever the body says
    listing = client.get(mine_url).content.decode()
    assert "b827ebfffe0000aa" in listing
    assert "b827ebfffe0000bb" not in listing and "b827ebfffe0000cc" not in listing
    edit = reverse("iot_portal:gateway_edit", args=[member.pk, mine.pk])
    client.post(edit, {"name": "École maternelle"})
    mine.refresh_from_db()
    assert (mine.name, mine.owner) == ("École maternelle", member)
    before = rows()
    for gateway in (theirs, operators):
        url = reverse("iot_portal:gateway_edit", args=[member.pk, gateway.pk])
        assert client.post(url, {"name": "Pris"}).status_code == 404
        assert client.get(url).status_code == 404
    other_space = reverse("iot_portal:gateway_edit", args=[other.pk, theirs.pk])
    assert client.post(other_space, {"name": "Pris"}).status_code == 404
    assert rows() == before


def test_a_members_elected_official_sees_but_does_not_write(member):
    elected = AgentAccessFactory(member=member, is_elected=True).user
    Gateway.objects.create(eui="b827ebfffe0000aa", owner=member)
    client = client_for(elected)
    url = reverse("iot_portal:gateways", args=[member.pk])
    page = client.get(url).content.decode()
    assert "b827ebfffe0000aa" in page and "Ajouter une passerelle" not in page
    before = rows()
    assert client.post(url, {"eui": "b827ebfffe0000dd"}).status_code == 403
    assert rows() == before
