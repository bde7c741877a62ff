import random

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from mutualis.engine import Scope, Subscription, allocate, parse_tariff
from mutualis.engine.tests.helpers import territory, usage
from mutualis.engine.tests.profiles import examples

TARIFF = parse_tariff(
    """
service = "svc"
year = 2026
[cost_sharing]
cost = 1000
[solidarity]
bands = [{ below = 500, coefficient = 0.7 }, { coefficient = 1.3 }]
"""
)


@examples(30)
@given(units=st.lists(st.integers(0, 50), min_size=7, max_size=7), seed=st.integers(0, 999))
def test_same_inputs_in_any_order_give_identical_lines(units: list[int], seed: int) -> None:
    ids = ["E1", "C1", "C2", "C3", "C4", "S1", "S2"]
    records = usage("svc", dict(zip(ids, units, strict=True)))
    members = territory()
    subs = [Subscription("E1", "svc", Scope.WITH_ESTABLISHMENTS)]
    first = allocate(TARIFF, members, subs, records).to_frame()
    rng = random.Random(seed)
    rng.shuffle(members)
    rng.shuffle(records)
    second = allocate(TARIFF, members, subs, records).to_frame()
    assert first.equals(second)
    assert first["member_id"].to_list() == sorted(first["member_id"].to_list())
    assert isinstance(first, pl.DataFrame)
