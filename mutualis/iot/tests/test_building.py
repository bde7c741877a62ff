"""A sensor's building is a field of its own: filled from the former name convention for the
sensors registered before, set by the form, grouping and filtering the sensors in « Mon espace »
and in the operator's lists, and what the building's charts gather."""

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from mutualis.iot.models import Sensor, SensorKind
from mutualis.iot.tests.factories import make_sensor
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("mutualis.iot.migrations.0007_sensor_building")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_migration_fills_the_building_from_the_name(member):
    room = make_sensor(member, name="École Jules-Ferry , salle 2")
    plain = make_sensor(member, name="Station météo")
    kept = make_sensor(member, name="Mairie, accueil")
    Sensor.objects.filter(pk__in=[room.pk, plain.pk]).update(building="")
    Sensor.objects.filter(pk=kept.pk).update(building="Hôtel de ville")
    migration.building_from_name(apps, None)
    assert dict(Sensor.objects.values_list("pk", "building")) == {
        room.pk: "École Jules-Ferry",
        plain.pk: "Station météo",
        kept.pk: "Hôtel de ville",
    }


def test_the_form_sets_the_building(manager, member):
    body = {
        "member": member.pk,
        "name": "Salle 2",
        "building": "  École Jules-Ferry ",
        "kind": SensorKind.COMFORT,
        "quantities": ["temperature"],
        "dev_eui": "a840410000000101",
        "reporting_minutes": "60",
        "active": "on",
    }
    response = client_for(manager).post(reverse("iot:sensor_create"), body)
    assert response.status_code == 302
    sensor = Sensor.objects.get()
    assert sensor.building == "École Jules-Ferry"
    url = reverse("iot:sensor_update", args=[sensor.pk])
    refused = client_for(manager).post(url, body | {"building": "B" * 201})
    assert refused.status_code == 200
    assert (
        "Assurez-vous que cette valeur comporte au plus 200 caractères" in refused.content.decode()
    )
    Sensor.objects.get(building="École Jules-Ferry")
    client_for(manager).post(url, body | {"building": "Gymnase"})
    assert Sensor.objects.get().building == "Gymnase"


def _my_sensors(member):
    school = [
        make_sensor(member, name="Salle 1", building="Collège Jules-Ferry"),
        make_sensor(member, name="Salle 2", building="Collège Jules-Ferry"),
    ]
    gym = make_sensor(member, name="Vestiaires", building="Gymnase")
    loose = make_sensor(member, name="Armoire 4", building="")
    return school, gym, loose


def test_my_space_groups_sensors_by_building_and_filters_by_one(agent, member):
    _school, gym, _loose = _my_sensors(member)
    url = reverse("iot_portal:sensor_list", args=[member.pk])
    response = client_for(agent).get(url)
    names = [s.name for s, _measures in response.context["rows"]]
    assert names == ["Salle 1", "Salle 2", "Vestiaires", "Armoire 4"]  # by building, none last
    assert [(b, n) for b, n, _q in response.context["buildings"]] == [
        ("Collège Jules-Ferry", 2),
        ("Gymnase", 1),
    ]
    body = response.content.decode()
    assert body.index("Collège Jules-Ferry</a></th>") < body.index("Gymnase</a></th>")
    assert "Sans bâtiment" in body
    filtered = client_for(agent).get(url, {"batiment": "Gymnase"})
    assert [s.pk for s, _m in filtered.context["rows"]] == [gym.pk]
    assert "Salle 1</a>" not in filtered.content.decode()


def test_a_buildings_charts_gather_its_sensors_by_the_field(agent, member):
    school, _gym, _loose = _my_sensors(member)
    make_sensor(member, name="Collège Jules-Ferry, salle 9", building="Annexe")
    response = client_for(agent).get(
        reverse("iot_portal:building", args=[member.pk]), {"nom": "Collège Jules-Ferry"}
    )
    assert {s.pk for s in response.context["sensors"]} == {s.pk for s in school}
    other = MemberFactory()
    make_sensor(other, name="Salle 1", building="Collège")
    refused = client_for(agent).get(
        reverse("iot_portal:building", args=[member.pk]), {"nom": "Collège"}
    )
    assert refused.status_code == 404


def test_the_operator_list_filters_by_building(reader, member):
    school, _gym, _loose = _my_sensors(member)
    response = client_for(reader).get(reverse("iot:sensor_list"), {"building": "jules"})
    assert {s.pk for s in response.context["page"]} == {s.pk for s in school}
