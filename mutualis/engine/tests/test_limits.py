from hypothesis import given
from hypothesis import strategies as st

from mutualis.engine.tests.helpers import run
from mutualis.engine.tests.profiles import examples

UNIT = '[[components]]\ntype = "unit_price"\nprice = 1\n'


def test_floor_and_cap_on_priced_amounts() -> None:
    result = run(UNIT + "[limits]\nfloor = 50\ncap = 1000\n", {"C1": 10, "C2": 500, "C4": 5000})
    assert result.amounts() == {"C1": 5000, "C2": 50_000, "C4": 100_000}
    assert result.lines["limit"].to_list() == ["plancher", "", "plafond"]
    texts = result.explanations()
    assert "plancher 50,00\u00a0€ appliqué" in texts[0] and "plafond appliqué" in texts[2]


def test_cap_per_inhabitant() -> None:
    # C1: 250 hab. × 2 € = 500 € ; establishments (no population) are not capped this way
    result = run(UNIT + "[limits]\ncap_per_inhabitant = 2\n", {"C1": 800, "S1": 800})
    assert result.amounts() == {"C1": 50_000, "S1": 80_000}


def test_capped_share_is_redistributed_under_cost_sharing() -> None:
    body = "[cost_sharing]\ncost = 1000\n[limits]\ncap = 500\nfloor = 100\n"
    result = run(body, {"C1": 1, "C2": 8, "C4": 1})
    # C2 would pay 800 → capped at 500; the other 500 split 1:1 → 250 each
    assert result.amounts() == {"C1": 25_000, "C2": 50_000, "C4": 25_000}
    assert result.total_cents() == 100_000


def test_floor_is_taken_from_the_others_under_cost_sharing() -> None:
    body = "[cost_sharing]\ncost = 1000\n[limits]\nfloor = 200\n"
    result = run(body, {"C1": 1, "C2": 8, "C4": 1})
    assert result.amounts() == {"C1": 20_000, "C2": 60_000, "C4": 20_000}


@examples(50)
@given(
    units=st.lists(st.integers(0, 10**5), min_size=5, max_size=5),
    floor=st.integers(0, 5_000),
    cap=st.integers(5_000, 50_000),
    sharing=st.booleans(),
)
def test_caps_and_floors_are_respected(
    units: list[int], floor: int, cap: int, sharing: bool
) -> None:
    quantities = dict(zip(["C1", "C2", "C3", "C4", "E1"], units, strict=True))
    rule = "[cost_sharing]\ncost = 1000\n" if sharing else UNIT
    result = run(rule + f"[limits]\nfloor = {floor / 100}\ncap = {cap / 100}\n", quantities)
    amounts = result.amounts().values()
    payers = sum(1 for u in units if u)
    if sharing and (payers * cap < 100_000 or payers * floor > 100_000):
        return  # infeasible: what cannot be shared is reported as unallocated
    assert all(floor <= a <= cap for a in amounts)
    if sharing:
        assert result.total_cents() == 100_000
