from hypothesis import given
from hypothesis import strategies as st

from mutualis.engine.tests.helpers import run
from mutualis.engine.tests.profiles import examples

FEDER = """
[cost_sharing]
cost = 10000
[[cost_sharing.subsidies]]
label = "FEDER"
share = 0.40
"""


def test_net_cost_is_split_pro_rata_of_units() -> None:
    result = run(FEDER, {"C1": 10, "C2": 30, "C4": 20})
    assert result.net_cost_cents == 600_000
    assert result.amounts() == {"C1": 100_000, "C2": 300_000, "C4": 200_000}
    assert result.subsidies == [("FEDER", 400_000)]
    text = result.explanations()[1]
    assert text.startswith("30 unités ; part 50,00 % du coût net 6\u202f000,00\u00a0€")


def test_leftover_cent_goes_to_largest_remainder_then_smallest_id() -> None:
    result = run("[cost_sharing]\ncost = 100\n", {"C1": 1, "C2": 1, "C4": 1})
    assert result.amounts() == {"C1": 3334, "C2": 3333, "C4": 3333}


def test_fixed_contribution_of_a_named_member_gets_its_own_line() -> None:
    body = """
[cost_sharing]
cost = 10000
[[cost_sharing.subsidies]]
label = "Département"
amount = 2500
member = "D33"
"""
    result = run(body, {"C1": 1, "C2": 3})
    assert result.net_cost_cents == 750_000
    assert result.total_cents("repartition") == 750_000
    assert result.total_cents("contribution") == 250_000
    assert result.explanations()[-1] == "contribution fixe « Département » = 2\u202f500,00\u00a0€"


def test_weights_by_kind_weigh_the_units() -> None:
    body = "[cost_sharing]\ncost = 300\nweights = { epci = 2 }\n"
    result = run(body, {"E1": 1, "C2": 1})
    assert result.amounts() == {"C2": 10_000, "E1": 20_000}


def test_euro_rounding_keeps_the_total_to_the_cent() -> None:
    body = 'rounding = "euro"\n[cost_sharing]\ncost = 1000.55\n'
    result = run(body, {"C1": 1, "C2": 1, "C4": 1})
    amounts = result.amounts()
    assert sum(amounts.values()) == 100_055
    assert sorted(a % 100 for a in amounts.values()) == [0, 0, 55]


def test_nobody_with_units_leaves_the_cost_unallocated() -> None:
    result = run("[cost_sharing]\ncost = 100\n", {"C1": 0})
    assert result.total_cents() == 0


@examples(60)
@given(
    cost=st.integers(0, 10**9),
    share=st.integers(0, 10_000),
    units=st.lists(st.integers(1, 10**7), min_size=1, max_size=6),
    euro=st.booleans(),
)
def test_cost_sharing_reconciles_to_the_cent(
    cost: int, share: int, units: list[int], euro: bool
) -> None:
    ids = ["C1", "C2", "C3", "C4", "E1", "S1"]
    quantities = {i: f"{u / 1000:.3f}" for i, u in zip(ids, units, strict=False)}
    body = (
        ('rounding = "euro"\n' if euro else "")
        + f"[cost_sharing]\ncost = {cost / 100:.2f}\n"
        + f'[[cost_sharing.subsidies]]\nlabel = "FEDER"\nshare = {share / 10_000:.4f}\n'
    )
    result = run(body, quantities)
    assert result.net_cost_cents is not None
    assert result.total_cents("repartition") == result.net_cost_cents
    assert all(v >= 0 for v in result.amounts().values())
