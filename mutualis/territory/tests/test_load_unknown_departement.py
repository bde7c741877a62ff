"""An unknown département code is a clear error, and nothing is written."""

import pytest
from django.core.management import CommandError, call_command

from mutualis.territory.models import Commune, Departement, Epci, Region
from mutualis.territory.services import UnknownDepartementError, territory_load

pytestmark = pytest.mark.django_db


def _nothing_loaded() -> bool:
    return not any(model.objects.exists() for model in (Region, Departement, Epci, Commune))


def test_the_service_raises_and_writes_nothing():
    with pytest.raises(UnknownDepartementError) as error:
        territory_load(["33", "99", "100"])

    assert error.value.codes == ["100", "99"]
    assert "Département inconnu : 100, 99" in str(error.value)
    assert _nothing_loaded()


def test_the_command_fails_with_a_french_message_and_writes_nothing():
    with pytest.raises(CommandError, match="Département inconnu : 99"):
        call_command("territory_load", departement=["99"])
    assert _nothing_loaded()


def test_an_existing_territory_is_left_untouched(tiny_data):
    territory_load(data=tiny_data)
    tiny_data.communes = [row._replace(population=1) for row in tiny_data.communes]

    with pytest.raises(UnknownDepartementError):
        territory_load(["33", "2C"], data=tiny_data)

    assert not Commune.objects.filter(population=1).exists()
