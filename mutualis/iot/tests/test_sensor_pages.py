"""Operator pages: a manager registers a sensor, finds it by member, type and commune, sees its
latest values and history, and replaces its device without losing the series."""

import datetime as dt

import pytest
from django.test import Client

from mutualis.iot.ingestion import Message, ingest
from mutualis.iot.models import Decoder, DeviceModel, Sensor, SensorKind
from mutualis.iot.tests.factories import ReadingFactory, make_sensor
from mutualis.iot.tests.messages import chirpstack_up
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_manager_registers_a_sensor(manager, member):
    response = client_for(manager).post(
        "/operateur/capteurs/nouveau/",
        {
            "member": member.pk,
            "name": "Stade, compteur général",
            "kind": SensorKind.WATER_METER,
            "quantities": ["water_volume", "battery"],
            "dev_eui": "70-B3-D5-7E-D0-05-1A-2B",
            "make": "Diehl",
            "model": "Hydrus",
            "commune": member.commune.insee_code,
            "latitude": "44,84",
            "longitude": "-0,58",
            "installed_on": "2026-10-01",
            "reporting_minutes": "1 440",
            "active": "on",
        },
    )
    sensor = Sensor.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/operateur/capteurs/{sensor.pk}/"
    )
    assert sensor.devices.get().dev_eui == "70b3d57ed0051a2b"
    assert str(sensor.latitude) == "44.840000" and sensor.reporting_minutes == 1440
    assert sorted(sensor.measures.values_list("quantity", flat=True)) == ["battery", "water_volume"]
    assert sensor.events.get().kind == "installation"


def test_a_devEUI_already_used_is_refused(manager, member):
    make_sensor(dev_eui="70b3d57ed0051a2b")
    response = client_for(manager).post(
        "/operateur/capteurs/nouveau/",
        {
            "member": member.pk,
            "name": "X",
            "kind": "other",
            "quantities": ["count"],
            "dev_eui": "70b3d57ed0051a2b",
            "reporting_minutes": "60",
        },
    )
    assert response.status_code == 200
    assert "est déjà celui" in response.content.decode()
    assert Sensor.objects.count() == 1


def test_the_list_filters_by_member_kind_and_commune(reader, member):
    school = make_sensor(member, name="École")
    make_sensor(member, name="Piscine", kind=SensorKind.WATER_METER, quantities=["water_volume"])
    make_sensor(MemberFactory(), name="Ailleurs")
    client = client_for(reader)

    def names(query):
        page = client.get(f"/operateur/capteurs/?{query}").content.decode()
        return [n for n in ("École", "Piscine", "Ailleurs") if f">{n}</a>" in page]

    assert names("") == ["École", "Piscine", "Ailleurs"]
    assert names(f"member={member.pk}") == ["École", "Piscine"]
    assert names(f"member={member.pk}&kind=water_meter") == ["Piscine"]
    assert names(f"commune={school.commune.insee_code}") == ["École", "Piscine"]


def test_the_detail_shows_latest_values_and_a_replacement_keeps_the_series(manager, member):
    DeviceModel.objects.create(make="Elsys", model="ERS", decoder=Decoder.LPP)
    sensor = make_sensor(member, dev_eui="0004a30b001c0530")
    ingest([Message(*reversed(chirpstack_up(time="2026-11-01T10:00:00Z")))])
    client = client_for(manager)
    response = client.post(
        f"/operateur/capteurs/{sensor.pk}/intervention/",
        {
            "kind": "replacement",
            "date": "2026-11-15",
            "dev_eui": "0004a30b001c9999",
            "make": "Elsys",
            "model": "ERS",
            "note": "Boîtier cassé",
        },
    )
    assert response.status_code == 302
    ingest(
        [
            Message(
                *reversed(chirpstack_up("0004a30b001c9999", time="2026-11-20T10:00:00Z", dedup="n"))
            )
        ]
    )
    page = client.get(f"/operateur/capteurs/{sensor.pk}/").content.decode()
    assert "21,5 °C" in page and "20/11/2026 11:00" in page  # Paris time
    assert "0004a30b001c0530 → 0004a30b001c9999" in page
    assert sensor.readings.count() == 4
    assert list(sensor.devices.values_list("dev_eui", "removed_on")) == [
        ("0004a30b001c0530", dt.date(2026, 11, 15)),
        ("0004a30b001c9999", None),
    ]


def test_a_move_needs_the_new_position(manager, member):
    sensor = make_sensor(member)
    url = f"/operateur/capteurs/{sensor.pk}/intervention/"
    refused = client_for(manager).post(url, {"kind": "move", "date": "2026-11-15"})
    assert refused.status_code == 200 and sensor.events.count() == 1
    client_for(manager).post(
        url, {"kind": "move", "date": "2026-11-15", "latitude": "44,9", "longitude": "-0,6"}
    )
    sensor.refresh_from_db()
    assert (str(sensor.latitude), sensor.events.first().kind) == ("44.900000", "move")


def test_read_only_staff_see_but_do_not_write(reader, member):
    sensor = make_sensor(member)
    client = client_for(reader)
    assert client.get(f"/operateur/capteurs/{sensor.pk}/").status_code == 200
    assert client.get(f"/operateur/capteurs/{sensor.pk}/modifier/").status_code == 403
    assert client.post(f"/operateur/capteurs/{sensor.pk}/intervention/").status_code == 403


def test_the_list_counts_the_messages_set_aside(reader):
    ingest([Message(body=b"{", topic="application/x/device/0004a30b001c0530/event/up")])
    ingest([Message(*reversed(chirpstack_up("ffffffffffffffff")))])
    ingest([Message(*reversed(chirpstack_up("fffffffffffffffe")))])
    page = client_for(reader).get("/operateur/capteurs/").content.decode()
    assert "appareil inconnu : 2 ; message illisible : 1." in page


def test_a_measure_with_readings_cannot_be_dropped(manager, member):
    sensor = make_sensor(member, quantities=["temperature", "humidity"])
    ReadingFactory(sensor=sensor, measure=sensor.measures.get(quantity="humidity"))
    url = f"/operateur/capteurs/{sensor.pk}/modifier/"
    body = {
        "member": member.pk,
        "name": sensor.name,
        "kind": sensor.kind,
        "quantities": ["temperature"],
        "reporting_minutes": "60",
        "active": "on",
    }
    refused = client_for(manager).post(url, body)
    assert refused.status_code == 200
    assert "la grandeur reste mesurée" in refused.content.decode()
    assert sensor.measures.count() == 2
    client_for(manager).post(url, body | {"quantities": ["temperature", "humidity", "co2"]})
    assert sensor.measures.count() == 3


def test_the_list_runs_the_same_queries_for_2_or_12_sensors(reader, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(reader)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/operateur/capteurs/").status_code == 200
        return len(captured)

    for _ in range(2):
        make_sensor(member)
    few = queries()
    for _ in range(10):
        make_sensor(MemberFactory())
    assert queries() == few
