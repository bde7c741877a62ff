"""`mutualis territory load`: progress and report on stdout."""

from io import StringIO

import pytest
from django.core.management import call_command

from mutualis.territory.models import Commune
from mutualis.territory.sources import write_derived, write_source_md

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tiny_data, tmp_path):
    write_derived(tiny_data, tmp_path)
    write_source_md(tmp_path, "9.9.9", "2031", tiny_data.counts())
    return tmp_path


def test_load_prints_progress_and_counts(data_dir):
    out = StringIO()
    call_command("territory_load", data_dir=str(data_dir), stdout=out)

    text = out.getvalue()
    assert "Données : @etalab/decoupage-administratif 9.9.9 (millésime 2031)" in text
    assert "Communes : 7/7 (100 %)" in text
    assert "Communes : 7 créé(s), 0 mis à jour, 0 inchangé(s)" in text
    assert "EPCI : 4 créé(s)" in text
    assert "Territoire chargé : 16 création(s), 0 mise(s) à jour." in text
    assert Commune.objects.count() == 7


def test_second_run_reports_unchanged(data_dir):
    call_command("territory_load", data_dir=str(data_dir), stdout=StringIO())
    out = StringIO()
    call_command("territory_load", "--departement", "40", data_dir=str(data_dir), stdout=out)

    text = out.getvalue()
    assert "Communes : 0 créé(s), 0 mis à jour, 2 inchangé(s)" in text
    assert "Territoire chargé : 0 création(s), 0 mise(s) à jour." in text


def test_quiet_run_prints_only_the_summary(data_dir):
    out = StringIO()
    call_command("territory_load", data_dir=str(data_dir), verbosity=0, stdout=out)
    assert out.getvalue().strip().splitlines() == [
        "Territoire chargé : 16 création(s), 0 mise(s) à jour."
    ]
