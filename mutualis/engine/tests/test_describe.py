"""A tariff told in French for the comité: from the parsed rules, bands as voted, every
component kind of the registry covered, and what changed between two versions marked."""

import pytest

from mutualis.engine.describe import describe_component, describe_tariff
from mutualis.engine.describe_diff import compare
from mutualis.engine.rules import COMPONENTS
from mutualis.engine.tariff import Tariff, parse_tariff

UPTO = """service = "sauvegarde"
year = 2026
unit = "Go"

[[components]]
type = "tiers"
mode = "volume"
bands = [{ upto = 250, price = 0.5 }, { upto = 1000, price = 0.4 }]

[[exemptions]]
label = "petites communes"
kinds = ["commune"]
population_below = 500

[limits]
floor = 50
"""

FROM = """service = "sauvegarde"
year = 2027
unit = "Go"

[[components]]
type = "tiers"
mode = "graduated"
bands = [{ from = 0, price = 0.5 }, { from = 250, price = 0.35 }]
"""

EXAMPLES = {
    "unit_price": '[[components]]\ntype = "unit_price"\nprice = 18\nby_kind = { epci = 15 }\n',
    "flat": '[[components]]\ntype = "flat"\namount = 120\n',
    "tiers": (
        '[[components]]\ntype = "tiers"\nbands = [{ upto = 1, price = 150 }, { price = 60 }]\n'
    ),
    "grid": (
        '[[components]]\ntype = "grid"\nmeasures = ["quantity", "population"]\n'
        "upto = [[100, 500], [1000, 5000]]\ntable = [[100, 200], [300, 400]]\n"
    ),
    "quota": '[[components]]\ntype = "quota"\nincluded = 5\nfee = 30\nprice = 12\n',
}


def _tariff(body: str, head: str = 'service = "s"\nyear = 2026\nunit = "unités"\n') -> Tariff:
    return parse_tariff(head + body, "t.toml")


@pytest.mark.parametrize("kind", sorted(COMPONENTS))
def test_every_component_kind_of_the_registry_is_told(kind: str) -> None:
    assert kind in EXAMPLES, f"add a French text for {kind} in engine/describe.py and here"
    tariff = _tariff(EXAMPLES[kind])
    section = describe_component(tariff.components[0], tariff.unit, 1)
    assert section.paragraphs or section.table


def test_bands_read_as_voted() -> None:
    upto = describe_tariff(parse_tariff(UPTO, "v1.toml"))
    bands = next(s for s in upto.sections if s.key == "components[1]")
    assert bands.table is not None
    assert [row[0] for row in bands.table.rows] == ["jusqu'à 250 Go", "jusqu'à 1\u202f000 Go"]
    assert "Au-delà de 1\u202f000 Go" in bands.paragraphs[-1]
    assert "toutes les unités au prix de la tranche atteinte" in bands.paragraphs[0]
    frm = describe_tariff(parse_tariff(FROM, "v2.toml"))
    bands = next(s for s in frm.sections if s.key == "components[1]")
    assert bands.table is not None
    assert [row[0] for row in bands.table.rows] == ["à partir de 0 Go", "à partir de 250 Go"]
    assert bands.table.rows[1][1] == "0,35\u00a0€"


def test_exemptions_limits_and_grid_table() -> None:
    text = describe_tariff(parse_tariff(UPTO, "v1.toml"))
    sections = {s.key: s for s in text.sections}
    assert sections["exemptions"].paragraphs[0] == (
        "Petites communes : les communes de moins de 500 habitants ne paient rien."
    )
    assert sections["limits"].paragraphs == ("Participation minimale : 50,00\u00a0€.",)
    grid = describe_component(_tariff(EXAMPLES["grid"]).components[0], "Go", 1)
    assert grid.table is not None
    assert grid.table.headers[1:] == (
        "jusqu'à 1\u202f000 habitants",
        "jusqu'à 5\u202f000 habitants",
    )
    assert grid.table.rows[1] == ("jusqu'à 500 Go", "300,00\u00a0€", "400,00\u00a0€")


def test_cost_sharing_says_who_pays_and_the_subsidies() -> None:
    text = describe_tariff(
        _tariff(
            '[cost_sharing]\ncost = 120000\n[[cost_sharing.subsidies]]\nlabel = "FEDER"\n'
            "share = 0.40\n"
        )
    )
    sections = {s.key: s for s in text.sections}
    assert "120\u202f000,00\u00a0€" in sections["payer"].paragraphs[0]
    assert "refacturer" in " ".join(sections["payer"].paragraphs)
    assert sections["subsidies"].table is not None
    assert sections["subsidies"].table.rows[0][:2] == ("FEDER", "40 % du coût")


def test_two_versions_side_by_side_mark_what_changed() -> None:
    v1 = describe_tariff(parse_tariff(UPTO, "v1.toml"))
    v2 = describe_tariff(parse_tariff(FROM, "v2.toml"))
    pairs = {pair.key: pair for pair in compare(v1, v2)}
    bands = pairs["components[1]"]
    assert bands.changed
    assert bands.left is not None and bands.right is not None
    assert all(row.changed for row in bands.right.rows)
    assert pairs["exemptions"].right is None and pairs["exemptions"].changed
    assert not pairs["payer"].changed
    same = {pair.key: pair for pair in compare(v1, v1)}
    assert not any(pair.changed for pair in same.values())


ONE = """service = "messagerie"
year = 2026
unit = "comptes"

[[components]]
type = "tiers"
mode = "graduated"
bands = [{ from = 1, price = 3 }, { from = 2, price = 2 }]
"""


def test_counts_under_two_are_singular() -> None:
    frm = describe_tariff(parse_tariff(ONE, "v1.toml"))
    bands = next(s for s in frm.sections if s.key == "components[1]")
    assert bands.table is not None
    assert [row[0] for row in bands.table.rows] == ["à partir de 1 compte", "à partir de 2 comptes"]
    from mutualis.engine.describe import _counted

    assert _counted(1, 1, "établissements") == "1 établissement"
    assert _counted(0, 1, "postes de travail") == "0 poste de travail"
    assert _counted(3, 1, "accès") == "3 accès" and _counted(1, 1, "accès") == "1 accès"
