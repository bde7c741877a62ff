"""The savings arithmetic: exact cents, own vs market reference, tiers on the group's total."""

from decimal import Decimal as D

import pytest

from mutualis.purchasing import savings
from mutualis.purchasing.savings import NeedLine, ReferenceBasis


def test_the_tier_is_chosen_on_the_aggregated_quantity():
    tiers = [(D(0), D("1.20")), (D(10000), D("0.60")), (D(100000), D("0.40"))]
    assert savings.price_for_quantity(tiers, D(9999)) == D("1.20")
    assert savings.price_for_quantity(tiers, D(10000)) == D("0.60")
    assert savings.price_for_quantity(tiers, D(2_000_000)) == D("0.40")
    with pytest.raises(ValueError):
        savings.price_for_quantity([(D(10), D(1))], D(5))


def test_amounts_are_cents_rounded_half_up():
    assert savings.amount_cents(D("3"), D("0.335")) == 101  # 1.005 € -> 1.01 €
    assert savings.amount_cents(D("1"), D("0.004")) == 0
    assert savings.amount_cents(D("1"), D("0.005")) == 1


def test_own_price_first_then_market_price_then_none():
    own = savings.line_result(NeedLine(1, 1, D(12), D("6"), D("30"), D("20")))
    assert (own.basis, own.amount_cents, own.alone_cents, own.saving_cents) == (
        ReferenceBasis.OWN,
        7200,
        36000,
        28800,
    )
    market = savings.line_result(NeedLine(2, 1, D(12), D("6"), None, D("20")))
    assert (market.basis, market.saving_cents) == (ReferenceBasis.MARKET, 16800)
    none = savings.line_result(NeedLine(3, 1, D(12), D("6")))
    assert (none.basis, none.alone_cents, none.saving_cents) == (ReferenceBasis.NONE, None, None)


def test_totals_add_rounded_lines_and_leave_lines_without_reference_out_of_the_rate():
    results = [
        savings.line_result(NeedLine(1, 1, D(3), D("0.335"), D("1.20"))),  # 1.01 vs 3.60
        savings.line_result(NeedLine(2, 1, D(3), D("0.335"), D("1.20"))),
        savings.line_result(NeedLine(3, 1, D(100), D("0.335"))),  # 33.50, no reference
    ]
    total = savings.totals(results)
    assert total.purchased_cents == 101 + 101 + 3350
    assert total.alone_cents == 720
    assert total.saved_cents == 518
    assert total.rate == D("0.7194")
    assert total.members == 3
    assert total.lines_without_reference == 1


def test_no_reference_at_all_gives_no_rate():
    assert savings.totals([]).rate is None


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (None, "unknown"),
        (0, "lt500"),
        (499, "lt500"),
        (500, "500-2000"),
        (1999, "500-2000"),
        (2000, "2000-10000"),
        (10000, "2000-10000"),
        (10001, "gt10000"),
    ],
)
def test_population_bands(population, band):
    assert savings.population_band(population) == band


def test_weighted_scores_mix_price_and_criteria():
    scores = savings.weighted_scores(
        totals_cents={"a": 1000, "b": 2000},
        price_weight=60,
        criteria=[("tech", 40)],
        scores={("a", "tech"): D(5), ("b", "tech"): D(10)},
    )
    # a: (10 × 60 + 5 × 40) / 100 = 8 ; b: (5 × 60 + 10 × 40) / 100 = 7
    assert scores == {"a": D("8.00"), "b": D("7.00")}


def test_savings_never_use_floats():
    result = savings.line_result(NeedLine(1, 1, D("0.1"), D("0.2"), D("0.3")))
    assert isinstance(result.saving_cents, int)
    assert not isinstance(savings.totals([result]).rate, float)
