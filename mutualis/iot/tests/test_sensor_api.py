"""The JSON API: member agents read their members' sensors and readings only; staff with
MANAGE_IOT register sensors."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from mutualis.iot.models import Reading
from mutualis.iot.tests.factories import ReadingFactory, make_sensor
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_agent_sees_its_members_sensors_and_readings_only(agent, member):
    own = make_sensor(member, dev_eui="a840410000000001")
    other = make_sensor(MemberFactory(), dev_eui="a840410000000002")
    ReadingFactory(sensor=own)
    ReadingFactory(sensor=other)
    sensors = api(agent).get("/api/v1/iot/sensors/").json()["results"]
    assert [(s["id"], s["dev_eui"]) for s in sensors] == [(own.pk, "a840410000000001")]
    readings = api(agent).get("/api/v1/iot/readings/").json()["results"]
    assert {r["sensor"] for r in readings} == {own.pk}
    assert api(agent).get(f"/api/v1/iot/sensors/{other.pk}/").status_code == 404


def test_readings_by_sensor_quantity_and_time(reader, member):
    sensor = make_sensor(member)
    for hour in range(3):
        ReadingFactory(sensor=sensor, time=dt.datetime(2026, 11, 1, hour, tzinfo=dt.UTC))
    client = api(reader)
    rows = client.get(
        f"/api/v1/iot/readings/?sensor={sensor.pk}&quantity=humidity"
        "&since=2026-11-01T01:00:00Z&until=2026-11-01T03:00:00Z"
    ).json()["results"]
    assert [(r["time"], r["unit"]) for r in rows] == [
        ("2026-11-01T03:00:00+01:00", "%"),
        ("2026-11-01T02:00:00+01:00", "%"),
    ]
    assert client.get("/api/v1/iot/readings/?since=hier").status_code == 400
    assert client.get("/api/v1/iot/readings/?quantity=vitesse").status_code == 400


def test_a_manager_registers_a_sensor(manager, member):
    body = {
        "member": member.pk,
        "name": "Mairie, salle du conseil",
        "kind": "comfort",
        "dev_eui": "A840410000000003",
        "quantities": ["temperature", "co2"],
        "latitude": "44,84",
    }
    created = api(manager).post("/api/v1/iot/sensors/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["dev_eui"] == "a840410000000003"
    assert created.json()["quantities"] == ["co2", "temperature"]
    again = api(manager).post("/api/v1/iot/sensors/", body, format="json")
    assert again.status_code == 400 and "dev_eui" in again.json()
    assert Reading.objects.count() == 0


def test_the_api_shows_and_takes_the_building(manager, member):
    body = {
        "member": member.pk,
        "name": "Mairie, salle du conseil",
        "kind": "comfort",
        "dev_eui": "a840410000000004",
        "quantities": ["temperature"],
    }
    derived = api(manager).post("/api/v1/iot/sensors/", body, format="json")
    assert derived.json()["building"] == "Mairie"  # not given: the name's convention
    given = api(manager).post(
        "/api/v1/iot/sensors/",
        body | {"dev_eui": "a840410000000005", "building": "Hôtel de ville"},
        format="json",
    )
    assert given.json()["building"] == "Hôtel de ville"
    too_long = api(manager).post(
        "/api/v1/iot/sensors/",
        body | {"dev_eui": "a840410000000006", "building": "B" * 201},
        format="json",
    )
    assert too_long.status_code == 400 and "building" in too_long.json()
