"""Every component kind is one file of the rules package, registered, documented and named in
the parser's error message."""

from pathlib import Path

import pytest

from mutualis.engine.rules import COMPONENTS, ComponentRule
from mutualis.engine.tariff import TariffError
from mutualis.engine.tests.helpers import tariff

DOCS = Path(__file__).resolve().parents[3] / "docs" / "tariffs.md"


def test_each_kind_is_a_rule_of_its_own_file() -> None:
    assert list(COMPONENTS) == ["unit_price", "flat", "tiers", "grid", "quota"]
    for name, rule in COMPONENTS.items():
        assert issubclass(rule, ComponentRule)
        assert name == rule.TYPE
        assert rule.__module__.startswith("mutualis.engine.rules.")
        for method in ("parse", "amounts", "explain"):
            assert method in vars(rule), f"{name} defines {method}"


def test_each_kind_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name in COMPONENTS:
        assert f"| `{name}` |" in text


def test_an_unknown_kind_names_the_registered_ones() -> None:
    with pytest.raises(TariffError, match="attendu : unit_price, flat, tiers, grid, quota"):
        tariff('[[components]]\ntype = "forfait"\namount = 1')
