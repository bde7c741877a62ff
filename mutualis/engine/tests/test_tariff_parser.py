from pathlib import Path

import pytest

from mutualis.engine import TariffError, load_tariff, parse_tariff
from mutualis.engine.tariff import CostSharing, Grid, Tiers, UnitPrice, UsageMode, YearReading

HEAD = 'service = "ent"\nyear = 2026\n'


def test_full_tariff_is_read() -> None:
    t = parse_tariff(
        HEAD
        + """
unit = "élèves"
rounding = "euro"
[usage]
mode = "flow"
[[components]]
type = "unit_price"
price = 12.40
by_kind = { epci = "10,5" }
[[components]]
type = "tiers"
mode = "volume"
bands = [{ upto = 100, price = 1 }, { price = 0.5 }]
[[components]]
type = "grid"
measures = ["quantity", "establishments"]
bounds = [[0, 50], [0, 5, 20]]
base = 300
coefficients = [1, 1.25, 1.5, 1.75]
[[exemptions]]
kinds = ["commune"]
population_below = 500
[solidarity]
measure = "fiscal_potential"
bands = [{ below = 600, coefficient = 0.8 }]
[limits]
floor = 50
cap_per_inhabitant = 2
"""
    )
    assert t.usage is UsageMode.FLOW and t.reading is YearReading.SUM
    unit = t.components[0]
    assert isinstance(unit, UnitPrice) and unit.price == 12_400_000
    assert unit.by_kind == {"epci": 10_500_000}
    assert isinstance(t.components[1], Tiers)
    grid = t.components[2]
    assert isinstance(grid, Grid) and grid.bounds == ((0, 50_000), (0, 5, 20))
    assert t.exemptions[0].label == "commune < 500 hab."
    assert t.solidarity is not None and t.solidarity.bands[-1].coefficient == 10_000
    assert t.limits.floor_cents == 5000


def test_cost_sharing_is_read() -> None:
    t = parse_tariff(
        HEAD
        + """
[cost_sharing]
cost = 120000
weights = { epci = 2 }
[[cost_sharing.subsidies]]
label = "FEDER"
share = 0.40
"""
    )
    assert t.cost_sharing is not None
    assert t.cost_sharing == CostSharing(
        cost_cents=12_000_000,
        subsidies=t.cost_sharing.subsidies,
        weights_by_kind={"epci": 20_000},
    )
    assert t.cost_sharing.subsidies[0].share == 4_000


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('[[components]]\ntype = "unit_price"\nprix = 3\n', "components[1].prix"),
        ('[[components]]\ntype = "unit_price"\nprice = "abc"\n', "components[1].price"),
        ('[[components]]\ntype = "unit_price"\nprice = 0.0000001\n', "components[1].price"),
        ('[[components]]\ntype = "forfait"\n', "components[1].type"),
        (
            '[cost_sharing]\ncost = 10\n[[cost_sharing.subsidies]]\nlabel = "x"\n',
            "cost_sharing.subsidies[1].share",
        ),
        (
            '[[components]]\ntype = "flat"\namount = 1\nby_kind = { mairie = 3 }\n',
            "components[1].by_kind.mairie",
        ),
        (
            '[[components]]\ntype = "flat"\namount = 1\n[[exemptions]]\nkinds = ["ville"]\n',
            "exemptions[1].kinds",
        ),
        (
            '[[components]]\ntype = "flat"\namount = 1\n[limits]\nfloor = 9\ncap = 3\n',
            "limits.floor",
        ),
        (
            '[[components]]\ntype = "grid"\nmeasures = ["population"]\nbounds = [[0, 500]]\n'
            "table = [1]\n",
            "components[1].table",
        ),
        (
            '[[components]]\ntype = "tiers"\nbands = [{ price = 1 }, { upto = 3, price = 1 }]\n',
            "components[1].bands[1].upto",
        ),
        (
            '[[components]]\ntype = "flat"\namount = 1\nunknown_top = 1\n',
            "components[1].unknown_top",
        ),
    ],
)
def test_errors_name_the_file_and_the_key(body: str, key: str) -> None:
    with pytest.raises(TariffError) as exc:
        parse_tariff(HEAD + body, source="tarifs/ent.toml")
    assert "tarifs/ent.toml" in str(exc.value)
    assert f"« {key} »" in str(exc.value)


def test_top_level_unknown_key_and_missing_rule() -> None:
    with pytest.raises(TariffError, match=r"« servce »"):
        parse_tariff('servce = "x"\nservice = "y"\nyear = 2026\n[cost_sharing]\ncost = 1\n')
    with pytest.raises(TariffError, match=r"\[cost_sharing\] ou au moins un"):
        parse_tariff(HEAD)
    with pytest.raises(TariffError, match="TOML invalide"):
        parse_tariff("service = ")


def test_load_tariff_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "backup.toml"
    path.write_text(HEAD + '[[components]]\ntype = "flat"\namount = -3\n', encoding="utf-8")
    with pytest.raises(TariffError, match=r"backup\.toml.*components\[1\]\.amount"):
        load_tariff(path)
    with pytest.raises(TariffError, match="lecture impossible"):
        load_tariff(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('service = "x"\nyear 2026\n', "ligne 2, colonne 6 : « = » attendu après le nom de la clé"),
        ('service = "x"\nyear = 2026\nprice = 12,5\n', "ligne 3, colonne 11 : "),
        ('service = "x\n', "ligne 1, colonne 13 : texte non fermé"),
        ('service = "x"\n[cost_sharing\n', "ligne 2, colonne 14 : « ] » attendu"),
        ('service = "x"\nservice = "y"\n', "ligne 2, colonne 14 : cette clé a déjà une valeur"),
        ("bands = [1, 2\n", "à la fin du texte : liste non fermée"),
    ],
)
def test_syntax_errors_are_said_in_french_with_their_place(text: str, said: str) -> None:
    with pytest.raises(TariffError) as exc:
        parse_tariff(text, source="tarifs/ent.toml")
    message = str(exc.value)
    assert message.startswith("tarifs/ent.toml : TOML invalide, "), message
    assert said in message, message
    assert not any(word in message for word in ("Expected", "Invalid", "Unclosed", "at line"))


def test_an_unknown_tomllib_message_keeps_its_place() -> None:
    from mutualis.engine.toml_errors import french_toml_error

    said = french_toml_error("Something new (at line 4, column 2)")
    assert said == "ligne 4, colonne 2 : syntaxe incorrecte"
