"""Loading one or two départements from the shipped data."""

import pytest

from mutualis.territory.models import Commune, Departement, Epci, EpciKind, Region
from mutualis.territory.services import territory_load
from mutualis.territory.sources import read_derived

pytestmark = pytest.mark.django_db


def test_gironde_has_bordeaux_in_bordeaux_metropole():
    report = territory_load(["33"])

    bordeaux = Commune.objects.select_related("departement__region", "epci").get(insee_code="33063")
    assert bordeaux.name == "Bordeaux"
    assert bordeaux.siren == "213300635"
    assert bordeaux.population > 250_000
    assert bordeaux.search_name == "bordeaux"
    assert bordeaux.departement.code == "33"
    assert bordeaux.departement.name == "Gironde"
    assert bordeaux.departement.region.name == "Nouvelle-Aquitaine"
    assert bordeaux.epci.name == "Bordeaux Métropole"
    assert bordeaux.epci.siren == "243300316"
    assert bordeaux.epci.kind == EpciKind.METRO
    # The population of the whole EPCI, not of its communes in the loaded départements.
    assert bordeaux.epci.population > 800_000
    assert bordeaux.epci.communes.count() == 28

    shipped = read_derived()
    gironde = [row for row in shipped.communes if row.departement == "33"]
    assert report.communes.created == len(gironde) == Commune.objects.count()
    assert report.departements.created == 1
    assert report.regions.created == 1
    assert list(Region.objects.values_list("code", flat=True)) == ["75"]
    assert list(Departement.objects.values_list("code", flat=True)) == ["33"]


def test_only_the_epcis_with_a_commune_in_the_departement_are_loaded():
    territory_load(["33"])

    sirens = set(Epci.objects.values_list("siren", flat=True))
    expected = {row.epci for row in read_derived().communes if row.departement == "33"} - {""}
    assert sirens == expected
    # Every loaded EPCI has at least one commune in Gironde.
    assert not Epci.objects.filter(communes__isnull=True).exists()


def test_two_departements_share_their_region():
    report = territory_load(["33", "40"])

    assert report.regions.created == 1
    assert report.departements.created == 2
    assert set(Departement.objects.values_list("code", flat=True)) == {"33", "40"}
    assert Commune.objects.filter(insee_code="40192", name="Mont-de-Marsan").exists()
    assert report.departements_filter == ["33", "40"]


def test_codes_are_normalised():
    territory_load(["2a", " 1 "], data=None)

    assert set(Departement.objects.values_list("code", flat=True)) == {"01", "2A"}
    assert Commune.objects.get(insee_code="2A004").name == "Ajaccio"


def test_an_epci_spanning_two_departements_is_loaded_once(tiny_data):
    territory_load(["33"], data=tiny_data)
    territory_load(["40"], data=tiny_data)

    epci = Epci.objects.get(siren="200070000")
    assert epci.population == 3300
    assert set(epci.communes.values_list("insee_code", flat=True)) == {"33394", "40088"}
    assert Epci.objects.count() == 3
