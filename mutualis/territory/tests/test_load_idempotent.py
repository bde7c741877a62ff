"""A second load creates nothing and reports what changed in the data."""

import pytest

from mutualis.territory.models import Commune, Epci
from mutualis.territory.services import territory_load

pytestmark = pytest.mark.django_db


def test_second_run_on_the_shipped_data_changes_nothing():
    territory_load(["33"])
    counts = (Commune.objects.count(), Epci.objects.count())

    report = territory_load(["33"])

    assert not report.changed
    assert report.created == report.updated == 0
    assert report.communes.unchanged == counts[0]
    assert report.epcis.unchanged == counts[1]
    assert report.regions.unchanged == report.departements.unchanged == 1
    assert (Commune.objects.count(), Epci.objects.count()) == counts


def test_a_changed_population_is_reported_as_updated(tiny_data):
    territory_load(data=tiny_data)
    tiny_data.communes = [
        row._replace(population=261_234) if row.insee_code == "33063" else row
        for row in tiny_data.communes
    ]

    report = territory_load(data=tiny_data)

    assert report.communes.updated == 1
    assert report.communes.created == 0
    assert report.communes.unchanged == 6
    assert report.epcis.updated == 0
    assert Commune.objects.get(insee_code="33063").population == 261_234


def test_a_renamed_commune_and_a_changed_membership_are_updated(tiny_data):
    territory_load(data=tiny_data)
    changes = {
        "33394": {"name": "Saint-Émilion-en-Libournais"},
        "40088": {"epci": "244000865"},
        "33318": {"epci": ""},
    }
    tiny_data.communes = [
        row._replace(**changes.get(row.insee_code, {})) for row in tiny_data.communes
    ]
    tiny_data.epcis = [
        row._replace(population=60_000) if row.siren == "244000865" else row
        for row in tiny_data.epcis
    ]

    report = territory_load(data=tiny_data)

    assert (report.communes.created, report.communes.updated) == (0, 3)
    assert (report.epcis.updated, report.epcis.unchanged) == (1, 3)
    renamed = Commune.objects.get(insee_code="33394")
    assert renamed.name == "Saint-Émilion-en-Libournais"
    assert renamed.search_name == "saint emilion en libournais"
    moved = Commune.objects.select_related("epci").get(insee_code="40088")
    assert moved.epci.siren == "244000865"
    assert moved.epci.population == 60_000
    assert Commune.objects.get(insee_code="33318").epci is None
    assert Commune.objects.count() == 7


def test_a_commune_gone_from_the_data_is_reported_and_kept(tiny_data):
    territory_load(data=tiny_data)
    tiny_data.communes = [row for row in tiny_data.communes if row.insee_code != "01002"]

    report = territory_load(data=tiny_data)

    assert report.communes.absent == 1
    assert "absent" in report.communes.line()
    assert Commune.objects.filter(insee_code="01002").exists()
    # A partial load only answers for its own départements.
    assert territory_load(["33"], data=tiny_data).communes.absent == 0
