"""`mutualis territory refresh`: rebuild the derived files from a package release."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mutualis.territory import sources
from mutualis.territory.sources import read_derived, read_source_info


def test_refresh_from_an_unpacked_package(package_data, tmp_path):
    out = StringIO()
    call_command(
        "territory_refresh", from_dir=str(package_data), output_dir=str(tmp_path), stdout=out
    )

    text = out.getvalue()
    assert "Version 9.9.9 (millésime 2031) : 2 régions, 3 départements, 4 EPCI, 7 communes." in text
    data = read_derived(tmp_path)
    assert data.counts() == {"regions": 2, "departements": 3, "epcis": 4, "communes": 7}
    source_md = (tmp_path / "SOURCE.md").read_text(encoding="utf-8")
    assert "- Package version: 9.9.9" in source_md
    assert "- Millésime: 2031" in source_md
    assert "Licence Ouverte" in source_md
    assert "MIT" in source_md
    assert read_source_info(tmp_path)["version"] == "9.9.9"


def test_refresh_updates_the_version_line_and_keeps_the_rest(package_data, tmp_path):
    (tmp_path / "SOURCE.md").write_text(
        "# Notes\n\nKept by hand.\n\n- Package version: 1.0.0\n- Millésime: 2020\n",
        encoding="utf-8",
    )
    call_command(
        "territory_refresh",
        from_dir=str(package_data),
        output_dir=str(tmp_path),
        stdout=StringIO(),
    )

    source_md = (tmp_path / "SOURCE.md").read_text(encoding="utf-8")
    assert "Kept by hand." in source_md
    assert "- Package version: 9.9.9" in source_md
    assert "1.0.0" not in source_md
    assert "- Millésime: 2031" in source_md
    assert "- Counts: 2 regions, 3 departements, 4 epcis, 7 communes" in source_md


def test_refresh_rejects_a_version_that_does_not_match_the_package(package_data, tmp_path):
    with pytest.raises(CommandError, match=r"9\.9\.9"):
        call_command(
            "territory_refresh",
            "--version",
            "1.2.3",
            from_dir=str(package_data),
            output_dir=str(tmp_path),
        )
    assert not list(tmp_path.iterdir())


def test_refresh_rejects_a_missing_directory(tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        call_command("territory_refresh", from_dir=str(tmp_path / "nope"), output_dir=str(tmp_path))


def test_refresh_rejects_an_invalid_version(tmp_path):
    with pytest.raises(CommandError, match="Version invalide"):
        call_command("territory_refresh", "--version", "6.0; rm -rf /", output_dir=str(tmp_path))


def test_refresh_downloads_with_npm_pack(monkeypatch, package_data, tmp_path):
    calls = []

    def fake_npm_pack(version: str, workdir: Path) -> Path:
        calls.append(version)
        return package_data

    monkeypatch.setattr(sources, "npm_pack", fake_npm_pack)
    out = StringIO()
    call_command("territory_refresh", "--version", "9.9.9", output_dir=str(tmp_path), stdout=out)

    assert calls == ["9.9.9"]
    assert "@etalab/decoupage-administratif@9.9.9" in out.getvalue()
    assert read_derived(tmp_path).counts()["communes"] == 7


def test_refresh_defaults_to_the_latest_release(monkeypatch, package_data, tmp_path):
    calls = []
    monkeypatch.setattr(
        sources, "npm_pack", lambda version, workdir: calls.append(version) or package_data
    )
    call_command("territory_refresh", output_dir=str(tmp_path), stdout=StringIO())

    assert calls == ["latest"]
    assert "- Package version: 9.9.9" in (tmp_path / "SOURCE.md").read_text(encoding="utf-8")


def test_the_shipped_files_match_their_source_md():
    info = read_source_info()
    counts = read_derived().counts()
    assert info["version"] == "6.0.0"
    assert info["vintage"] == "2026"
    assert counts["communes"] == 34969
    assert counts["epcis"] == 1255
    total_size = sum(path.stat().st_size for path in sources.DATA_DIR.iterdir())
    assert total_size < 1_500_000
