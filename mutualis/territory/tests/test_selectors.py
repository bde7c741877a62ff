"""Reads on the territory used by the rest of the application."""

import pytest

from mutualis.territory import selectors
from mutualis.territory.models import Epci
from mutualis.territory.services import territory_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory(tiny_data):
    territory_load(data=tiny_data)


def _codes(communes):
    return [commune.insee_code for commune in communes]


def test_communes_of_an_epci_by_object_id_or_siren(territory):
    epci = Epci.objects.get(siren="243300316")
    expected = ["33063", "33318"]
    assert _codes(selectors.communes_of_epci(epci)) == expected
    assert _codes(selectors.communes_of_epci(epci.pk)) == expected
    assert _codes(selectors.communes_of_epci("243300316")) == expected


def test_communes_and_epcis_of_a_departement(territory):
    assert _codes(selectors.communes_of_departement("40")) == ["40192", "40088"]
    epcis = {
        epci.siren: epci.communes_in_departement for epci in selectors.epcis_of_departement("33")
    }
    assert epcis == {"243300316": 2, "200070000": 1}


def test_departements_of_an_epci_and_of_a_region(territory):
    codes = [d.code for d in selectors.departements_of_epci("200070000")]
    assert codes == ["33", "40"]
    assert [d.code for d in selectors.departements_of_region("75")] == ["33", "40"]
    assert [r.code for r in selectors.regions()] == ["75", "84"]


def test_epci_summary(territory):
    assert selectors.epci_summary("243300316") == {"communes": 2, "population": 325_000}


def test_get_by_code(territory):
    assert selectors.commune_get("33063").epci.siren == "243300316"
    assert selectors.commune_get("00000") is None
    assert selectors.epci_get("244000865").kind == "CA"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bordeaux", ["33063"]),
        ("bordeaux", ["33063"]),
        ("saint emilion", ["33394"]),
        ("ST-ÉMILION", []),
        ("Émilion", ["33394"]),
        ("saint", ["33394", "40088"]),
        ("33063", ["33063"]),
        ("213303183", ["33318"]),
        ("333", ["33318", "33394"]),
        ("ile sans", ["01002"]),
        ("", []),
        ("--", []),
    ],
)
def test_search_communes(territory, query, expected):
    assert _codes(selectors.search_communes(query)) == expected


def test_search_communes_ranks_prefix_matches_first_then_population(territory):
    # Both contain "mar", none starts with it: the most populated first.
    assert _codes(selectors.search_communes("mar")) == ["40192", "40088"]
    # L'Abergement-Clémenciat starts with "l": before the more populated Saint-Émilion.
    assert _codes(selectors.search_communes("l")) == ["01001", "33394", "01002"]
    assert _codes(selectors.search_communes("saint", departement="40")) == ["40088"]
    assert _codes(selectors.search_communes("a", limit=2)) == ["33063", "33318"]


def test_search_epcis(territory):
    assert [e.siren for e in selectors.search_epcis("métropole")] == ["243300316"]
    assert [e.siren for e in selectors.search_epcis("metropole")] == ["243300316"]
    assert [e.siren for e in selectors.search_epcis("244000865")] == ["244000865"]
    assert [e.siren for e in selectors.search_epcis("cc")] == ["200070000", "200029999"]
    assert list(selectors.search_epcis(" ")) == []
