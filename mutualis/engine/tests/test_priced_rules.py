"""Unit prices, flat fees, graduated and volume tiers, grids, quotas: one example each."""

from mutualis.engine.tests.helpers import run

NBSP = "\u00a0"


def test_unit_price_and_its_explanation() -> None:
    body = '[[components]]\ntype = "unit_price"\nprice = 12.40\n'
    result = run(body, {"C2": 125})
    assert result.amounts() == {"C2": 155_000}
    assert result.explanations()[0] == (
        f"125 unités × 12,40{NBSP}€ = 1\u202f550,00{NBSP}€ ; dû 1\u202f550,00{NBSP}€"
    )


def test_unit_price_by_kind_and_decimal_quantities() -> None:
    body = '[[components]]\ntype = "unit_price"\nprice = 0.125\nby_kind = { epci = 0.10 }\n'
    result = run(body, {"C2": "12.5", "E1": "100"})
    # 12.5 × 0.125 = 1.5625 → 1.56 ; 100 × 0.10 = 10.00
    assert result.amounts() == {"C2": 156, "E1": 1000}


def test_flat_fee_per_member_and_per_kind() -> None:
    body = '[[components]]\ntype = "flat"\namount = 50\nby_kind = { epci = 400 }\n'
    result = run(body, {"C1": 1, "E1": 1})
    assert result.amounts() == {"C1": 5000, "E1": 40_000}
    assert result.explanations()[1].startswith(f"forfait EPCI = 400,00{NBSP}€")


def test_graduated_tiers_price_each_band_separately() -> None:
    body = """
[[components]]
type = "tiers"
mode = "graduated"
bands = [{ upto = 100, price = 1.00 }, { upto = 500, price = 0.80 }, { price = 0.50 }]
"""
    result = run(body, {"C1": 50, "C2": 125, "C4": 600})
    assert result.amounts() == {"C1": 5000, "C2": 12_000, "C4": 47_000}
    assert "100 × 1,00" in result.explanations()[1] and "25 × 0,80" in result.explanations()[1]


def test_volume_tiers_price_all_units_at_the_band_reached() -> None:
    body = """
[[components]]
type = "tiers"
mode = "volume"
bands = [{ upto = 100, price = 1.00 }, { price = 0.80 }]
"""
    result = run(body, {"C1": 100, "C2": 125})
    assert result.amounts() == {"C1": 10_000, "C2": 10_000}


def test_grid_table_by_volume_band_and_establishments() -> None:
    body = """
[[components]]
type = "grid"
measures = ["quantity", "establishments"]
bounds = [[0, 100, 500], [0, 1, 3]]
table = [[100, 150, 200], [300, 350, 400], [600, 650, 700]]
"""
    # C2 has 1 establishment (S1), C1 has 1 (S2), E1 counts those of its communes (2).
    result = run(body, {"C1": 50, "C2": 120, "E1": 600})
    assert result.amounts() == {"C1": 15_000, "C2": 35_000, "E1": 65_000}
    assert result.explanations()[1].startswith(
        "grille : 120 unités → tranche 2 (dès 100), 1 établissements → tranche 2 (dès 1)"
    )


def test_grid_base_times_coefficient_ladder() -> None:
    body = """
[[components]]
type = "grid"
measures = ["quantity", "establishments"]
bounds = [[0, 100, 500], [0, 1, 3]]
base = 200
coefficients = [1, 1.25, 1.5, 1.75, 2]
"""
    result = run(body, {"C3": 50, "C2": 120, "E1": 600})
    # positions: C3 0+0 → 1 ; C2 1+1 → 1.5 ; E1 2+1 → 1.75
    assert result.amounts() == {"C2": 30_000, "C3": 20_000, "E1": 35_000}


def test_establishments_of_small_communes_are_not_counted_in_a_grid() -> None:
    body = """
[[components]]
type = "grid"
measures = ["establishments"]
bounds = [[0, 1, 2]]
table = [0, 100, 200]
[[exemptions]]
kinds = ["establishment"]
parent_population_below = 500
"""
    result = run(body, {"E1": 1, "C1": 1})
    assert result.amounts() == {"C1": 0, "E1": 10_000}


def test_quota_then_overage() -> None:
    body = """
[[components]]
type = "quota"
included = 10
fee = 20
price = 3
included_by_kind = { epci = 30 }
"""
    result = run(body, {"C1": 4, "C2": 35, "E1": 35})
    assert result.amounts() == {"C1": 2000, "C2": 9500, "E1": 3500}
    assert result.explanations()[1] == (
        f"35 unités dont 10 inclus : forfait 20,00{NBSP}€ + 25 × 3,00{NBSP}€ = 95,00{NBSP}€ ; "
        f"dû 95,00{NBSP}€"
    )


def test_components_add_up_with_a_subtotal() -> None:
    body = """
[[components]]
type = "flat"
amount = 10
[[components]]
type = "unit_price"
price = 1
"""
    result = run(body, {"C2": 5})
    assert result.amounts() == {"C2": 1500}
    assert "sous-total 15,00" in result.explanations()[0]


def test_euro_rounding_half_up() -> None:
    body = 'rounding = "euro"\n[[components]]\ntype = "unit_price"\nprice = 0.5\n'
    result = run(body, {"C1": 3, "C2": 1})
    assert result.amounts() == {"C1": 200, "C2": 100}
