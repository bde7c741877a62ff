"""Deriving the compact data set from the package's JSON files."""

import gzip
import json
import shutil

import pytest

from mutualis.core.text import normalize_name
from mutualis.territory.sources import (
    CommuneRow,
    EpciRow,
    SourceError,
    derive,
    package_version,
    package_vintage,
    read_derived,
    write_derived,
)


def test_derive_keeps_current_communes_with_their_epci(tiny_data):
    assert tiny_data.counts() == {"regions": 2, "departements": 3, "epcis": 4, "communes": 7}
    communes = {row.insee_code: row for row in tiny_data.communes}
    assert "33999" not in communes  # commune déléguée
    assert communes["33063"] == CommuneRow(
        "33063", "213300635", "Bordeaux", 260000, "33", "243300316"
    )
    assert communes["40088"].epci == "200070000"
    # Without EPCI, SIREN or population: empty and zero.
    assert communes["01002"] == CommuneRow("01002", "", "Île-Sans-EPCI", 0, "01", "")


def test_derive_takes_the_municipal_population_of_the_whole_epci(tiny_data):
    epcis = {row.siren: row for row in tiny_data.epcis}
    assert epcis["243300316"] == EpciRow("243300316", "Bordeaux Métropole", "METRO", 850000)
    assert epcis["244000865"].kind == "CA"


def test_derive_sorts_by_code(tiny_data):
    assert [row.code for row in tiny_data.regions] == ["75", "84"]
    assert [row.code for row in tiny_data.departements] == ["01", "33", "40"]
    codes = [row.insee_code for row in tiny_data.communes]
    assert codes == sorted(codes)


def test_derive_warns_about_a_member_that_is_not_a_current_commune(tiny_data):
    assert len(tiny_data.warnings) == 1
    assert "33999" in tiny_data.warnings[0]


def test_written_files_read_back_identical_and_reproducible(tiny_data, tmp_path):
    first = write_derived(tiny_data, tmp_path / "a")
    write_derived(tiny_data, tmp_path / "b")
    for kind, path in first.items():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), kind
    back = read_derived(tmp_path / "a")
    assert back.counts() == tiny_data.counts()
    assert back.communes == tiny_data.communes
    assert back.epcis == tiny_data.epcis
    with gzip.open(first["communes"], "rt", encoding="utf-8") as handle:
        assert handle.readline() == "insee_code,siren,name,population,departement,epci\n"


def test_read_derived_rejects_a_missing_file(tmp_path):
    with pytest.raises(SourceError, match="introuvable"):
        read_derived(tmp_path)


def _copy(package_data, tmp_path):
    target = tmp_path / "data"
    shutil.copytree(package_data, target)
    return target


def test_derive_rejects_an_unknown_epci_kind(package_data, tmp_path):
    data_dir = _copy(package_data, tmp_path)
    epcis = json.loads((data_dir / "epci.json").read_text(encoding="utf-8"))
    epcis[0]["type"] = "SIVOM"
    (data_dir / "epci.json").write_text(json.dumps(epcis), encoding="utf-8")
    with pytest.raises(SourceError, match="SIVOM"):
        derive(data_dir)


def test_derive_rejects_a_commune_in_two_epcis(package_data, tmp_path):
    data_dir = _copy(package_data, tmp_path)
    epcis = json.loads((data_dir / "epci.json").read_text(encoding="utf-8"))
    epcis[1]["membres"].append({"code": "33063"})
    (data_dir / "epci.json").write_text(json.dumps(epcis), encoding="utf-8")
    with pytest.raises(SourceError, match="33063"):
        derive(data_dir)


def test_derive_rejects_a_commune_of_an_unknown_departement(package_data, tmp_path):
    data_dir = _copy(package_data, tmp_path)
    communes = json.loads((data_dir / "communes.json").read_text(encoding="utf-8"))
    communes[0]["departement"] = "99"
    (data_dir / "communes.json").write_text(json.dumps(communes), encoding="utf-8")
    with pytest.raises(SourceError, match="99"):
        derive(data_dir)


def test_derive_rejects_a_missing_file(package_data, tmp_path):
    data_dir = _copy(package_data, tmp_path)
    (data_dir / "regions.json").unlink()
    with pytest.raises(SourceError, match=r"regions\.json"):
        derive(data_dir)


def test_package_version_and_vintage(package_data):
    assert package_version(package_data) == "9.9.9"
    assert package_vintage(package_data, "9.9.9") == "2031"
    assert package_vintage(package_data, "1.2.3") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Saint-Émilion", "saint emilion"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Œuilly", "oeuilly"),
        ("  Bordeaux  Métropole ", "bordeaux metropole"),
    ],
)
def test_normalize_name(name, expected):
    assert normalize_name(name) == expected
