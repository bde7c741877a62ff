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


WITH_BUILDING = [*HEADER[:3], "batiment", *HEADER[3:]]


def _row(eui, name, building, *rest):
    return [eui, "33063", name, building, "comfort", "temperature", *rest, *[""] * 10]


def test_the_building_column_sets_and_changes_the_building(bordeaux):
    rows = [
        _row("a840410000000001", "Salle 2", "École Jules-Ferry"),
        _row("a840410000000002", "Préau", ""),
    ]
    report = run_import("sensors", "capteurs.csv", csv_bytes(WITH_BUILDING, rows))
    assert report.ok, [str(e) for e in report.errors]
    buildings = dict(Sensor.objects.values_list("name", "building"))
    assert buildings == {"Salle 2": "École Jules-Ferry", "Préau": ""}
    rows[1][3] = "École Jules-Ferry"
    again = run_import("sensors", "capteurs.xlsx", xlsx_bytes(WITH_BUILDING, rows))
    assert (again.updated, again.unchanged) == (1, 1)
    assert Sensor.objects.get(name="Préau").building == "École Jules-Ferry"


def test_without_the_column_a_new_sensor_takes_its_names_building_and_an_old_one_keeps_its_own(
    bordeaux,
):
    make_sensor(bordeaux, dev_eui="a840410000000001", name="Mairie, accueil", building="Mairie")
    Sensor.objects.update(building="Hôtel de ville")
    rows = [
        ["a840410000000001", "33063", "Mairie, accueil", "comfort", "temperature", *[""] * 10],
        ["a840410000000002", "33063", "Stade, vestiaires", "comfort", "temperature", *[""] * 10],
    ]
    report = run_import("sensors", "capteurs.csv", csv_bytes(HEADER, rows))
    assert report.ok, [str(e) for e in report.errors]
    assert dict(Sensor.objects.values_list("name", "building")) == {
        "Mairie, accueil": "Hôtel de ville",
        "Stade, vestiaires": "Stade",
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_oversized_building_is_refused_in_french_and_changes_nothing(bordeaux, fmt):
    make_sensor(bordeaux, dev_eui="a840410000000001", name="Salle 2", building="École")
    before = iot_state()
    rows = [
        _row("a840410000000001", "Salle 2", "Gymnase"),
        _row("a840410000000002", "Salle 3", "É" * 201),
    ]
    content = (csv_bytes if fmt == "csv" else xlsx_bytes)(WITH_BUILDING, rows)
    report = run_import("sensors", f"capteurs.{fmt}", content)
    assert not report.ok
    assert [str(e) for e in report.errors] == [
        f"capteurs.{fmt}, ligne 3, colonne batiment : 201 caractères : 200 au plus."
    ]
    assert iot_state() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_carries_the_building_and_imports_back_unchanged(
    client, operator, bordeaux, fmt
):
    make_sensor(bordeaux, dev_eui="a840410000000001", name="Salle 2", building="École Jules-Ferry")
    make_sensor(bordeaux, dev_eui="a840410000000002", name="Armoire 1", building="")
    client.force_login(operator)
    response = client.get(reverse("imports:export", kwargs={"kind": "sensors", "fmt": fmt}))
    file_name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert text.splitlines()[0].split(";")[:4] == ["deveui", "membre", "nom", "batiment"]
        assert ";École Jules-Ferry;" in text
    before = iot_state()
    report = run_import("sensors", file_name, response.content)
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert iot_state() == before
    assert dict(Sensor.objects.values_list("name", "building")) == {
        "Salle 2": "École Jules-Ferry",
        "Armoire 1": "",
    }
