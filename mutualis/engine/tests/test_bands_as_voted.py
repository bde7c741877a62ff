"""Bands typed as the vote wrote them: « jusqu'à » (upto) or « à partir de » (bounds, from).

A value outside the bands voted is an error that names the member and the value: below the
first lower bound, or above the last upper bound. It is never billed at the first band.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mutualis.engine import TariffError
from mutualis.engine.allocate import OutsideBandsError
from mutualis.engine.tests.helpers import run, tariff
from mutualis.engine.tests.profiles import examples

NNBSP = "\u202f"

GRID_UPTO = """
[[components]]
type = "grid"
measures = ["quantity"]
upto = [[250, 500, 1000]]
base = 100
coefficients = [1, 1.5, 2]
"""


def test_upper_bounds_include_their_bound() -> None:
    result = run(GRID_UPTO, {"C1": 250, "C2": "250.001", "C4": 1000})
    assert result.amounts() == {"C1": 10_000, "C2": 15_000, "C4": 20_000}
    assert result.explanations()[0].startswith("grille : 250 unités → tranche 1 (jusqu'à 250)")
    assert result.explanations()[1].startswith("grille : 250,001 unités → tranche 2 (jusqu'à 500)")


def test_a_value_above_the_last_upper_bound_names_the_member_and_the_value() -> None:
    with pytest.raises(OutsideBandsError) as exc:
        run(GRID_UPTO, {"C1": 10, "C2": 1200, "C4": 2000})
    message = str(exc.value)
    assert "Bourg" in message and "C2" not in message
    assert f"1{NNBSP}200 unités" in message
    assert f"au-delà de la dernière tranche (jusqu'à 1{NNBSP}000 unités)" in message
    assert "et 1 autre membre" in message
    assert "components[1]" in message


def test_a_value_below_the_first_lower_bound_is_an_error_not_the_first_band() -> None:
    body = """
[[components]]
type = "grid"
measures = ["quantity", "population"]
bounds = [[0, 100], [300, 1000]]
table = [[10, 20], [30, 40]]
"""
    # Ancy (C1) has 250 inhabitants: the grid starts at 300.
    with pytest.raises(OutsideBandsError) as exc:
        run(body, {"C1": 5, "C2": 5})
    message = str(exc.value)
    assert "Ancy : 250 habitants hors des tranches votées" in message
    assert "en dessous de la première tranche (à partir de 300 habitants)" in message
    assert run(body, {"C2": 5, "C4": 150}).amounts() == {"C2": 2000, "C4": 4000}


def test_an_exempt_member_outside_the_bands_owes_nothing_and_is_no_error() -> None:
    body = GRID_UPTO + '[[exemptions]]\nkinds = ["commune"]\npopulation_below = 500\n'
    result = run(body, {"C1": 5000, "C2": 300})
    assert result.amounts() == {"C1": 0, "C2": 15_000}


def test_tiers_from_start_at_their_bound() -> None:
    volume_from = """
[[components]]
type = "tiers"
mode = "volume"
bands = [{ from = 0, price = 10 }, { from = 20, price = 8 }]
"""
    volume_upto = """
[[components]]
type = "tiers"
mode = "volume"
bands = [{ upto = 20, price = 10 }, { price = 8 }]
"""
    # « à partir de 20 » includes 20 ; « jusqu'à 20 » too, in the first band.
    assert run(volume_from, {"C1": 20, "C2": 19}).amounts() == {"C1": 16_000, "C2": 19_000}
    assert run(volume_upto, {"C1": 20, "C2": 19}).amounts() == {"C1": 20_000, "C2": 19_000}
    result = run(volume_from, {"C1": 20})
    assert "(tranche dès 20)" in result.explanations()[0]


def test_tiers_outside_their_bands() -> None:
    closed = """
[[components]]
type = "tiers"
bands = [{ upto = 100, price = 1 }, { upto = 500, price = 0.8 }]
"""
    assert run(closed, {"C2": 500}).amounts() == {"C2": 42_000}
    with pytest.raises(OutsideBandsError, match=r"Bourg : 500,5 unités hors des tranches"):
        run(closed, {"C2": "500.5"})
    starting = """
[[components]]
type = "tiers"
bands = [{ from = 1, price = 1 }, { from = 100, price = 0.8 }]
"""
    # The first band is priced from 0: « à partir de 1 » only says who is in the bands.
    assert run(starting, {"C2": 150}).amounts() == {"C2": 14_000}
    with pytest.raises(OutsideBandsError, match=r"Bourg : 0,5 unités .*à partir de 1 unités"):
        run(starting, {"C2": "0.5"})


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        (
            '[[components]]\ntype = "grid"\nmeasures = ["quantity"]\nupto = [[1, 2]]\n'
            "bounds = [[0, 1]]\ntable = [1, 2]\n",
            "components[1].bounds",
            "soit « bounds »",
        ),
        (
            '[[components]]\ntype = "grid"\nmeasures = ["quantity"]\ntable = [1, 2]\n',
            "components[1].bounds",
            "soit « bounds »",
        ),
        (
            '[[components]]\ntype = "grid"\nmeasures = ["quantity"]\nupto = [[2, 1]]\n'
            "table = [1, 2]\n",
            "components[1].upto[1]",
            "bornes hautes strictement croissantes",
        ),
        (
            '[[components]]\ntype = "tiers"\n'
            "bands = [{ from = 0, price = 1 }, { upto = 9, price = 1 }]\n",
            "components[1].bands[2].upto",
            "« from » ou « upto »",
        ),
        (
            '[[components]]\ntype = "tiers"\n'
            "bands = [{ from = 5, price = 1 }, { from = 5, price = 1 }]\n",
            "components[1].bands[2].from",
            "croissantes",
        ),
    ],
)
def test_band_errors_name_the_key(body: str, key: str, message: str) -> None:
    with pytest.raises(TariffError) as exc:
        tariff(body)
    assert f"« {key} »" in str(exc.value) and message in str(exc.value)


@examples(60)
@given(
    ends=st.lists(st.integers(1, 5000), min_size=1, max_size=4, unique=True).map(sorted),
    prices=st.lists(st.integers(0, 500), min_size=5, max_size=5),
    quantities=st.lists(st.integers(0, 6000), min_size=3, max_size=3),
    mode=st.sampled_from(["graduated", "volume"]),
)
@example(ends=[1], prices=[0, 0, 0, 0, 0], quantities=[1, 0, 2], mode="volume")
def test_a_band_written_from_or_upto_bills_the_same(
    ends: list[int], prices: list[int], quantities: list[int], mode: str
) -> None:
    """« jusqu'à e » then « au-delà » bills as « dès 0 » then « à partir de e » (for graduated
    tiers everywhere; for volume tiers except at the bound itself, which each form places in
    the band it names)."""
    cents = prices[: len(ends) + 1]
    upto = [f'{{ upto = {e}, price = "{c / 100}" }}' for e, c in zip(ends, cents, strict=False)]
    upto.append(f'{{ price = "{cents[-1] / 100}" }}')
    starts = [0, *ends]
    lower = [f'{{ from = {s}, price = "{c / 100}" }}' for s, c in zip(starts, cents, strict=True)]
    head = f'[[components]]\ntype = "tiers"\nmode = "{mode}"\n'
    usage = {m: q for m, q in zip(["C1", "C2", "C4"], quantities, strict=True)}
    by_upto = run(head + f"bands = [{', '.join(upto)}]\n", usage).amounts()
    by_from = run(head + f"bands = [{', '.join(lower)}]\n", usage).amounts()
    for member, quantity in usage.items():
        if mode == "volume" and quantity in ends:
            continue
        assert by_upto.get(member) == by_from.get(member)


@examples(60)
@given(
    uppers=st.lists(st.integers(0, 3000), min_size=1, max_size=4, unique=True).map(sorted),
    base=st.integers(0, 10_000),
)
@example(uppers=[0], base=1)
def test_a_grid_by_upper_bounds_is_the_grid_of_the_next_lower_bounds(
    uppers: list[int], base: int
) -> None:
    """On whole numbers (population), « jusqu'à u » is « dès u + 1 » for the next band."""
    coefficients = ", ".join(str(i + 1) for i in range(len(uppers)))
    grid = '[[components]]\ntype = "grid"\nmeasures = ["population"]\n'
    tail = f"base = {base / 100}\ncoefficients = [{coefficients}]\n"
    by_upto = f"{grid}upto = [[{', '.join(map(str, uppers))}]]\n{tail}"
    lows = [0, *(u + 1 for u in uppers[:-1])]
    by_from = f"{grid}bounds = [[{', '.join(map(str, lows))}]]\n{tail}"
    inside = {"C1": 1, "C2": 1, "C3": 1, "C4": 1}  # populations 250, 4 000, 450, 1 200
    populations = {"C1": 250, "C2": 4000, "C3": 450, "C4": 1200}
    kept = {m: q for m, q in inside.items() if populations[m] <= uppers[-1]}
    if len(kept) < len(inside):
        with pytest.raises(OutsideBandsError):
            run(by_upto, inside)
    if kept:
        assert run(by_upto, kept).amounts() == run(by_from, kept).amounts()
