"""School holidays (the national calendar's file), heating profiles and sectors of water
networks import through the common pipeline: all or nothing, errors naming file, line and
column, re-runnable, and their exports import back unchanged."""

import datetime as dt

import pytest

from mutualis.alerts.models import HeatingProfile, MeterSector, SchoolHoliday, WeatherStation
from mutualis.alerts.tests.tenancy import water_meter
from mutualis.imports.exports import EXPORTS
from mutualis.imports.importers.base import member_code
from mutualis.imports.tests.helpers import csv_bytes, run_import, xlsx_bytes
from mutualis.iot.models import Quantity, SensorKind
from mutualis.iot.tests.factories import make_sensor
from mutualis.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

# The header of data.education.gouv.fr's « fr-en-calendrier-scolaire » CSV export.
CALENDAR = ["Description", "Population", "Date de début", "Date de fin", "Académies", "Zones"]
CALENDAR += ["annee_scolaire"]


def reimport_export(kind: str):
    export = EXPORTS[kind]
    return run_import(kind, "export.csv", csv_bytes(export.headers, export.build()))


def eui(sensor) -> str:
    return sensor.devices.get().dev_eui


def test_the_national_calendar_imports_once_per_zone_and_again_unchanged():
    toussaint = ["Vacances de la Toussaint", "-", "2026-10-16T22:00:00+00:00"]
    rows = [
        [*toussaint, "2026-11-01T23:00:00+00:00", academy, "Zone A", "2026-2027"]
        for academy in ("Bordeaux", "Poitiers", "Limoges")
    ]
    rows += [
        ["Vacances de Noël", "-", "2026-12-19", "2027-01-04", "Paris", "Zone C", "2026-2027"],
        ["Pré-rentrée", "Enseignants", "2026-08-31", "2026-09-01", "Paris", "Zone C", "2026-2027"],
        ["Vacances de Noël", "-", "2026-12-19", "2027-01-04", "Guadeloupe", "Guadeloupe", ""],
    ]
    content = csv_bytes(CALENDAR, rows)
    report = run_import("school_holidays", "fr-en-calendrier-scolaire.csv", content)
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 2
    toussaint = SchoolHoliday.objects.get(zone="A")
    # the 17th in Paris, classes resume on Monday 2 November: the 1st is the last day off
    assert (toussaint.starts_on, toussaint.ends_on) == (dt.date(2026, 10, 17), dt.date(2026, 11, 1))
    again = run_import("school_holidays", "calendrier.xlsx", xlsx_bytes(CALENDAR, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert reimport_export("school_holidays").unchanged == 2
    assert SchoolHoliday.objects.count() == 2


def test_a_bad_calendar_row_refuses_the_file_in_french_naming_line_and_column():
    rows = [
        ["Vacances d'hiver", "-", "2027-02-06", "2027-02-22", "Bordeaux", "Zone A", ""],
        ["Vacances de printemps", "-", "2027-04-03", "03/04/2027", "Bordeaux", "Zone A", ""],
        ["Vacances d'été", "-", "le 3 juillet", "2027-09-01", "Bordeaux", "Zone A", ""],
    ]
    report = run_import("school_holidays", "vacances.csv", csv_bytes(CALENDAR, rows))
    assert not report.ok
    assert {(e.file, e.line, e.field) for e in report.errors} == {
        ("vacances.csv", 3, "date_de_fin"),
        ("vacances.csv", 4, "date_de_debut"),
    }
    assert "reprise" in report.errors[0].message
    assert not SchoolHoliday.objects.exists()


@pytest.fixture
def building():
    member = MemberFactory()
    meter = make_sensor(
        member,
        name="Groupe scolaire, chaufferie",
        kind=SensorKind.ENERGY_METER,
        quantities=(Quantity.ENERGY,),
    )
    station = WeatherStation.objects.create(code="33281001", name="Mérignac")
    return meter, station


HEATING = ["deveui", "num_poste", "jours_occupes", "zone_vacances", "ferme_jours_feries"]


def test_heating_profiles_import_by_devEUI_then_update_and_export_back(building):
    meter, station = building
    content = csv_bytes(HEATING, [[eui(meter), "33281001", "lun|mar|jeu|ven", "zone a", "oui"]])
    report = run_import("heating_profiles", "chauffage.csv", content)
    assert report.ok, [str(e) for e in report.errors]
    profile = HeatingProfile.objects.get()
    assert (profile.member_id, profile.station, profile.weekdays) == (
        meter.member_id,
        station,
        "0134",
    )
    assert profile.holiday_zone == "A" and profile.closed_on_public_holidays
    changed = csv_bytes(HEATING, [[eui(meter), "33281001", "lun|mar|mer|jeu|ven|sam", "", "non"]])
    assert run_import("heating_profiles", "chauffage.csv", changed).updated == 1
    profile.refresh_from_db()
    assert (profile.weekdays, profile.holiday_zone) == ("012345", "")
    assert not profile.closed_on_public_holidays
    assert reimport_export("heating_profiles").unchanged == 1


def test_a_heating_row_naming_an_unknown_meter_or_station_changes_nothing(building):
    meter, _station = building
    water = water_meter(meter.member)
    rows = [
        [eui(meter), "33281001", "lun", "A", "oui"],
        [eui(water), "33281001", "lun", "A", "oui"],
        ["70B3D57ED00FFFFF", "99999999", "lundi|jour férié", "Zone D", "peut-être"],
    ]
    report = run_import("heating_profiles", "chauffage.csv", csv_bytes(HEATING, rows))
    assert {(e.line, e.field) for e in report.errors} == {
        (3, "deveui"),
        (4, "deveui"),
        (4, "num_poste"),
        (4, "jours_occupes"),
        (4, "zone_vacances"),
        (4, "ferme_jours_feries"),
    }
    assert "n'est pas un compteur d'énergie" in report.errors[0].message
    assert not HeatingProfile.objects.exists()


SECTORS = ["membre", "secteur", "compteur_de_tete", "compteurs_en_aval", "suivi"]


def test_a_sector_imports_with_its_meters_by_devEUI_and_its_export_back():
    member = MemberFactory()
    head, school, hall = (water_meter(member, name=n) for n in ("Tête", "École", "Salle"))
    code = member_code(member)
    content = csv_bytes(SECTORS, [[code, "Bourg", eui(head), f"{eui(school)}|{eui(hall)}", ""]])
    report = run_import("meter_sectors", "secteurs.csv", content)
    assert report.ok, [str(e) for e in report.errors]
    sector = MeterSector.objects.get()
    assert sector.district == head and set(sector.behind.all()) == {school, hall}
    assert run_import("meter_sectors", "secteurs.csv", content).unchanged == 1
    fewer = csv_bytes(SECTORS, [[code, "Bourg", eui(head), eui(school), "non"]])
    assert run_import("meter_sectors", "secteurs.csv", fewer).updated == 1
    sector.refresh_from_db()
    assert list(sector.behind.all()) == [school] and not sector.active
    assert reimport_export("meter_sectors").unchanged == 1


def test_a_sector_of_another_members_meter_or_itself_is_refused_whole():
    member, other = MemberFactory(), MemberFactory()
    head, school = water_meter(member), water_meter(member)
    foreign = water_meter(other)
    code = member_code(member)
    rows = [
        [code, "Écoles", eui(head), eui(school), "oui"],
        [code, "Mairie", eui(school), eui(foreign), "oui"],
        [code, "Boucle", eui(head), eui(head), "oui"],
    ]
    report = run_import("meter_sectors", "secteurs.xlsx", xlsx_bytes(SECTORS, rows))
    assert {(e.file, e.line, e.field) for e in report.errors} == {
        ("secteurs.xlsx", 3, "compteurs_en_aval"),
        ("secteurs.xlsx", 4, "compteur_de_tete"),
    }
    assert not MeterSector.objects.exists()
