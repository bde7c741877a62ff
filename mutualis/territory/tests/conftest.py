"""Shared fixtures: a tiny unpacked package, and its derived data set."""

from pathlib import Path

import pytest

from mutualis.territory.sources import derive

PACKAGE_DATA = Path(__file__).resolve().parent / "fixtures" / "package" / "data"


@pytest.fixture
def package_data() -> Path:
    return PACKAGE_DATA


@pytest.fixture
def tiny_data():
    """The fixture package derived: 2 régions, 3 départements, 4 EPCI, 7 communes."""
    return derive(PACKAGE_DATA)
