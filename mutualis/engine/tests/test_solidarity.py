from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mutualis.engine import Member, MemberKind
from mutualis.engine.tests.helpers import run, territory
from mutualis.engine.tests.profiles import examples

BANDS = """
[solidarity]
measure = "population"
bands = [
  { below = 500, coefficient = 0.5 },
  { below = 3500, coefficient = 1 },
  { coefficient = 1.5 },
]
"""


def test_population_bands_scale_priced_amounts() -> None:
    body = '[[components]]\ntype = "unit_price"\nprice = 10\n' + BANDS
    result = run(body, {"C1": 10, "C4": 10, "C2": 10})
    assert result.amounts() == {"C1": 5000, "C2": 15_000, "C4": 10_000}
    assert "péréquation (habitants) × 0,5" in result.explanations()[0]


def test_under_cost_sharing_solidarity_moves_money_but_keeps_the_total() -> None:
    body = "[cost_sharing]\ncost = 3000\n" + BANDS
    result = run(body, {"C1": 10, "C4": 10, "C2": 10})
    assert result.amounts() == {"C1": 50_000, "C2": 150_000, "C4": 100_000}
    assert result.total_cents() == 300_000


def test_indicator_bands_and_missing_indicator_means_coefficient_one() -> None:
    members = [
        *territory(),
        Member("C9", "Riche", MemberKind.COMMUNE, 800, indicators={"pf": Decimal("1200.5")}),
        Member("C8", "Pauvre", MemberKind.COMMUNE, 800, indicators={"pf": Decimal("400")}),
    ]
    body = """
[[components]]
type = "flat"
amount = 100
[solidarity]
measure = "pf"
bands = [
  { below = 600, coefficient = 0.8 },
  { below = 1000, coefficient = 1 },
  { coefficient = 1.2 },
]
"""
    result = run(body, {"C9": 1, "C8": 1, "C2": 1}, members=members)
    assert result.amounts() == {"C2": 10_000, "C8": 8000, "C9": 12_000}


@examples(50)
@given(
    units=st.lists(st.integers(1, 10**6), min_size=4, max_size=4),
    coefs=st.lists(st.integers(1, 40_000), min_size=3, max_size=3),
    cost=st.integers(0, 10**8),
)
def test_solidarity_keeps_the_total_under_cost_sharing(
    units: list[int], coefs: list[int], cost: int
) -> None:
    quantities = dict(zip(["C1", "C2", "C3", "C4"], units, strict=True))
    plain = f"[cost_sharing]\ncost = {cost / 100:.2f}\n"
    c1, c2, c3 = (f"{c / 10_000:.4f}" for c in coefs)
    bands = (
        f'[solidarity]\nbands = [{{ below = 500, coefficient = "{c1}" }}, '
        f'{{ below = 2000, coefficient = "{c2}" }}, {{ coefficient = "{c3}" }}]\n'
    )
    without = run(plain, quantities)
    with_solidarity = run(plain + bands, quantities)
    assert with_solidarity.total_cents() == without.total_cents() == cost
