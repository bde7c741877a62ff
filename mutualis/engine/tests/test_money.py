from decimal import Decimal

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mutualis.engine.money import (
    PrecisionError,
    _first_ranked,
    format_eur,
    format_qty,
    half_up_div,
    largest_remainder,
    mul_div_half_up,
    round_cents,
    to_scaled,
)


def test_half_up_rounds_halves_away_from_zero() -> None:
    assert half_up_div(5, 2) == 3
    assert half_up_div(4, 2) == 2
    assert half_up_div(-5, 2) == -3
    assert round_cents(150, 100) == 200
    assert round_cents(149, 100) == 100


def test_to_scaled_is_exact_or_refuses() -> None:
    assert to_scaled(Decimal("12.40"), 100) == 1240
    assert to_scaled("0.125", 1000) == 125
    with pytest.raises(PrecisionError):
        to_scaled("0.001", 100)


def test_mul_div_falls_back_to_python_integers_without_overflow() -> None:
    big = np.asarray([10**15], dtype=np.int64)
    assert mul_div_half_up(big, 10**6, 10**6).tolist() == [10**15]


def test_largest_remainder_gives_leftover_cents_to_largest_remainders_then_by_order() -> None:
    shares = largest_remainder(100, np.asarray([1, 1, 1]), np.asarray([2, 0, 1]))
    assert shares.tolist() == [33, 34, 33]  # tie → lowest order (index 1) gets the cent


def test_largest_remainder_by_euro_keeps_cents_reconciled() -> None:
    shares = largest_remainder(100_050, np.asarray([1, 1, 1]), np.arange(3), 100)
    assert shares.sum() == 100_050
    assert sorted(s % 100 for s in shares.tolist()) == [0, 0, 50]


@example(2, [0, 3], 100)  # the 2 cents went to the line of zero weight
@given(
    st.integers(0, 10**12),
    st.lists(st.integers(0, 10**9), min_size=1, max_size=30),
    st.sampled_from([1, 100]),
)
def test_largest_remainder_always_sums_to_total(total: int, weights: list[int], step: int) -> None:
    w = np.asarray(weights, dtype=np.int64)
    shares = largest_remainder(total, w, np.arange(len(weights)), step)
    if sum(weights) == 0:
        assert shares.sum() == 0
    else:
        assert int(shares.sum()) == total
        assert (shares >= 0).all()
    assert (shares[w == 0] == 0).all()


def test_cents_left_by_euro_rounding_never_go_to_a_line_of_zero_weight() -> None:
    assert largest_remainder(2, np.asarray([0, 3]), np.arange(2), 100).tolist() == [0, 2]


def test_largest_remainder_with_huge_weights_uses_exact_integers() -> None:
    w = np.asarray([10**17, 3 * 10**17, 10**17], dtype=np.int64)
    shares = largest_remainder(10**9, w, np.arange(3))
    assert shares.tolist() == [200_000_000, 600_000_000, 200_000_000]


def test_french_formatting() -> None:
    assert format_eur(155_000) == "1\u202f550,00\u00a0€"
    assert format_eur(5) == "0,05\u00a0€"
    assert format_eur(123_456_789) == "1\u202f234\u202f567,89\u00a0€"
    assert format_qty(12_500) == "12,5"
    assert format_qty(1_000_000_000) == "1\u202f000\u202f000"


def test_format_scaled_groups_thousands_as_group_thousands_does() -> None:
    import random

    from mutualis.engine.money import format_scaled, group_thousands

    rng = random.Random(7)
    values = [0, 5, -5, 999, 1000, -1000, 10**15 + 1] + [
        rng.randint(-(10**13), 10**13) for _ in range(2000)
    ]
    for scale in (1, 10, 100, 1000, 10000):
        for value in values:
            whole, frac = divmod(abs(value), scale)
            decimals = len(str(scale)) - 1
            frac_text = str(frac).rjust(decimals, "0").rstrip("0") if decimals else ""
            text = ("-" if value < 0 else "") + group_thousands(str(whole))
            assert format_scaled(value, scale) == (f"{text},{frac_text}" if frac_text else text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.integers(-50, 0), st.integers(0, 30)), min_size=1),
    st.integers(1, 60),
    st.booleans(),
)
def test_first_ranked_is_the_full_ranking_cut(
    lines: list[tuple[bool, int, int]], k: int, unique_order: bool
) -> None:
    """The k first lines by (zero weight, largest remainder, order, position), whatever the
    shortcut taken (a unique order or not)."""
    zero = np.array([int(z) for z, _, _ in lines], dtype=np.int64)
    neg_rem = np.array([r for _, r, _ in lines], dtype=np.int64)
    order = (
        np.arange(len(lines), dtype=np.int64)[::-1].copy()
        if unique_order
        else np.array([o for _, _, o in lines], dtype=np.int64)
    )
    k = min(k, len(lines))
    expected = np.lexsort((order, neg_rem, zero))[:k]
    assert _first_ranked(k, zero, neg_rem, order).tolist() == expected.tolist()
