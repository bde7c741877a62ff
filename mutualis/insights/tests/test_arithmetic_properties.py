"""Properties of the savings arithmetic: the total is exactly « seul » minus « payé » of the
lines that have a reference (never floored, never counting a line without one), and the
quartiles of a group are ordered, within its range, and blind to its order."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mutualis.engine.tests.profiles import examples
from mutualis.insights.arithmetic import MIN_GROUP, Saving, SavingsPart, quartiles, total_saving

cents = st.integers(0, 10**9)
lines = st.lists(
    st.builds(Saving, st.just("ligne"), cents, st.one_of(st.none(), cents), st.just("m")),
    max_size=12,
)


@examples(100)
@given(parts=st.lists(lines, max_size=4))
def test_the_total_is_alone_minus_paid_of_the_counted_lines(parts: list[list[Saving]]) -> None:
    built = [SavingsPart("p", "m", tuple(part)) for part in parts]
    counted = [line for part in parts for line in part if line.alone_cents is not None]
    expected = sum((line.alone_cents or 0) - line.paid_cents for line in counted)
    assert total_saving(built) == (expected if counted else None)


@examples(100)
@given(values=st.lists(st.integers(-(10**9), 10**9), max_size=40), data=st.data())
def test_quartiles_are_ordered_and_blind_to_order(values: list[int], data: st.DataObject) -> None:
    group = quartiles(values)
    if len(values) < MIN_GROUP:
        assert group is None
        return
    assert group is not None and group.count == len(values)
    assert Decimal(min(values)) <= group.q1 <= group.median <= group.q3 <= Decimal(max(values))
    shuffled = data.draw(st.permutations(values))
    assert quartiles(shuffled) == group
