"""An EPCI that pays for its communes re-bills its own participation too, by the key it chose."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mutualis.engine import Member, MemberKind, RebillKey, Scope, Subscription
from mutualis.engine.allocate import AllocationResult
from mutualis.engine.model import InputError
from mutualis.engine.tests.helpers import run, territory
from mutualis.engine.tests.profiles import examples

UNIT = '[[components]]\ntype = "unit_price"\nprice = 1\n'
USE = {"E1": 10, "C1": 20, "C2": 30, "C3": 40, "C4": 50, "S1": 5, "S2": 7}
K = MemberKind


def rebill_lines(result: AllocationResult, own: bool) -> dict[str, int]:
    lines = result.lines.filter(
        (pl.col("rule") == "refacturation") & (pl.col("detail").str.ends_with(":own") == own)
    )
    return dict(zip(lines["member_id"], lines["amount_cents"], strict=True))


def subscribe(rebill: RebillKey | None, own: RebillKey | None) -> list[Subscription]:
    return [Subscription("E1", "svc", Scope.WITH_COMMUNES, rebill=rebill, rebill_own=own)]


def test_the_epci_passes_on_its_own_participation_by_population() -> None:
    result = run(UNIT, USE, subscriptions=subscribe(RebillKey.USAGE, RebillKey.POPULATION))
    # The communes' own lines are re-billed by usage, as before.
    assert rebill_lines(result, own=False) == {"C1": 2000, "C2": 3000, "C3": 4000, "C4": 5000}
    # The EPCI's own 10 € goes to its communes by population (250, 4 000, 450, 1 200).
    own = rebill_lines(result, own=True)
    assert own == {"C1": 42, "C2": 678, "C3": 76, "C4": 204}
    assert sum(own.values()) == result.amounts()["E1"] == 1000
    # Re-billing is between the EPCI and its communes: what the operator bills is unchanged.
    assert result.total_cents() == 15_000
    explanation = result.explanations()[-3]
    assert explanation.startswith(
        "participation propre de CC du Lac refacturée au prorata de la population : 6,78"
    )
    assert "E1" not in explanation


def test_the_own_participation_alone_in_equal_shares_exempt_communes_excluded() -> None:
    body = UNIT + '[[exemptions]]\nkinds = ["commune"]\npopulation_below = 300\n'
    result = run(body, USE, subscriptions=subscribe(None, RebillKey.EQUAL))
    assert rebill_lines(result, own=False) == {}
    # 10 € in three: Ancy (C1, exempt) gets nothing; the largest remainder to the smallest id.
    assert rebill_lines(result, own=True) == {"C2": 334, "C3": 333, "C4": 333}


def test_the_establishments_of_the_epci_are_part_of_its_own_participation() -> None:
    members = [*territory(), Member("S9", "Office de tourisme", K.ESTABLISHMENT, 0, "E1", "E1")]
    subs = [Subscription("E1", "svc", Scope.WITH_ESTABLISHMENTS, rebill_own=RebillKey.EQUAL)]
    result = run(UNIT, {**USE, "S9": 2}, members=members, subscriptions=subs)
    assert sum(rebill_lines(result, own=True).values()) == 1000 + 200


def test_usage_is_no_key_for_the_own_participation() -> None:
    with pytest.raises(InputError, match=r"population.*parts égales"):
        run(UNIT, USE, subscriptions=subscribe(None, RebillKey.USAGE))


@examples(60)
@given(
    populations=st.lists(st.integers(0, 200_000), min_size=4, max_size=4),
    quantities=st.lists(st.integers(0, 10**6), min_size=5, max_size=5),
    own=st.sampled_from([RebillKey.POPULATION, RebillKey.EQUAL]),
    rebill=st.sampled_from([None, RebillKey.USAGE, RebillKey.POPULATION, RebillKey.EQUAL]),
)
@example(
    populations=[0, 0, 0, 0], quantities=[3, 0, 0, 0, 0], own=RebillKey.POPULATION, rebill=None
)
def test_everything_the_epci_pays_is_passed_on_to_the_cent(
    populations: list[int], quantities: list[int], own: RebillKey, rebill: RebillKey | None
) -> None:
    members = [
        Member("E1", "CC du Lac", K.EPCI, 9000),
        *(
            Member(f"C{i + 1}", f"Commune {i + 1}", K.COMMUNE, p, epci_id="E1")
            for i, p in enumerate(populations)
        ),
    ]
    usage = dict(zip(["E1", "C1", "C2", "C3", "C4"], quantities, strict=True))
    body = '[[components]]\ntype = "unit_price"\nprice = "0.013"\n'
    result = run(body, usage, members=members, subscriptions=subscribe(rebill, own))
    amounts = result.amounts()
    own_lines = rebill_lines(result, own=True)
    assert sum(own_lines.values()) == amounts["E1"]
    assert min(own_lines.values()) >= 0
    if rebill is not None:
        passed_on = sum(own_lines.values()) + sum(rebill_lines(result, own=False).values())
        assert passed_on == sum(amounts.values())
