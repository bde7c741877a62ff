"""Sensor files (capteurs) through the one import pipeline, and their export that imports back
unchanged."""

import datetime as dt

import pytest
from django.urls import reverse

from mutualis.imports.tests.helpers import csv_bytes, run_import, xlsx_bytes
from mutualis.iot.models import Device, Measure, Sensor, SensorEvent
from mutualis.iot.services import DeviceData, sensor_replace
from mutualis.iot.tests.factories import make_sensor
from mutualis.members import services as member_services

HEADER = [
    "deveui", "membre", "nom", "type", "grandeurs", "fabricant", "modele", "generation",
    "commune", "latitude", "longitude", "installation", "intervalle_minutes",
    "donnees_ouvertes", "actif",
]  # fmt: skip


@pytest.fixture
def bordeaux(territory):
    member, _ = member_services.member_create_from_territory(code="33063")
    return member


def iot_state():
    return {
        "sensors": sorted(Sensor.objects.values_list()),
        "devices": sorted(Device.objects.values_list()),
        "measures": sorted(Measure.objects.values_list()),
        "events": sorted(SensorEvent.objects.values_list()),
    }


def test_a_file_registers_sensors_then_changes_nothing_the_second_time(bordeaux):
    rows = [
        ["70-B3-D5-7E-D0-05-1A-2B", "33063", "Stade", "Compteur d'eau", "water_volume|battery",
         "Diehl", "Hydrus", "2", "33063", "44,8412", "-0,6012", "01/10/2026", "1 440", "oui", ""],
        ["a840410000000001", "213300635", "École", "comfort", "Température|humidity",
         "", "", "", "", "", "", "", "", "", "non"],
    ]  # fmt: skip
    content = csv_bytes(HEADER, rows)
    report = run_import("sensors", "capteurs.csv", content)
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 2
    stade = Sensor.objects.get(name="Stade")
    assert stade.devices.get().dev_eui == "70b3d57ed0051a2b"
    assert (stade.reporting_minutes, stade.open_data, stade.active) == (1440, True, True)
    assert str(stade.latitude) == "44.841200" and stade.commune.insee_code == "33063"
    assert not Sensor.objects.get(name="École").active
    before = iot_state()
    again = run_import("sensors", "capteurs.csv", content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert iot_state() == before


def test_a_bad_row_imports_nothing(bordeaux):
    rows = [
        ["a840410000000001", "33063", "École", "comfort", "temperature", *[""] * 10],
        ["pas-un-eui", "33063", "Mairie", "radar", "vitesse", *[""] * 4, "95", *[""] * 5],
    ]
    report = run_import("sensors", "capteurs.xlsx", xlsx_bytes(HEADER, rows))
    assert not report.ok
    columns = sorted({e.field for e in report.errors})
    assert columns == ["deveui", "grandeurs", "latitude", "type"]
    assert Sensor.objects.count() == 0


def test_a_replaced_device_names_its_sensor_no_more(bordeaux):
    sensor = make_sensor(bordeaux, dev_eui="a840410000000001")
    sensor_replace(sensor=sensor, date=dt.date(2026, 11, 1), device=DeviceData("a840410000000002"))
    rows = [["a840410000000001", "33063", "École", "comfort", "temperature", *[""] * 10]]
    report = run_import("sensors", "capteurs.csv", csv_bytes(HEADER, rows))
    assert [e.field for e in report.errors] == ["deveui"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_imports_back_unchanged(client, operator, bordeaux, fmt):
    make_sensor(bordeaux, dev_eui="a840410000000001", name="=École; salle 2", open_data=True)
    replaced = make_sensor(
        bordeaux, dev_eui="a840410000000003", quantities=["water_volume"], latitude=None,
        longitude=None, commune=None, installed_on=None, make="", model="", reporting_minutes=15,
    )  # fmt: skip
    sensor_replace(
        sensor=replaced, date=dt.date(2026, 11, 1), device=DeviceData("a840410000000004", "B", "C")
    )
    client.force_login(operator)
    response = client.get(reverse("imports:export", kwargs={"kind": "sensors", "fmt": fmt}))
    assert response.status_code == 200
    file_name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    before = iot_state()
    report = run_import("sensors", file_name, response.content)
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert iot_state() == before
