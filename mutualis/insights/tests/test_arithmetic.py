"""Savings computed honestly: never floored at zero, no reference no saving, anonymous
comparisons only for groups large enough."""

from decimal import Decimal

from mutualis.insights.arithmetic import (
    Saving,
    SavingsPart,
    days_cost_cents,
    position,
    quartiles,
    rate,
    total_saving,
)


def test_a_saving_is_alone_minus_paid_and_may_be_negative():
    assert Saving("a", paid_cents=30000, alone_cents=50000, method="m").saving_cents == 20000
    dearer = Saving("b", paid_cents=70000, alone_cents=50000, method="m")
    assert dearer.saving_cents == -20000
    part = SavingsPart("p", "m", (dearer,))
    assert part.saving_cents == -20000  # shown as it is, never 0
    assert total_saving([part]) == -20000


def test_a_line_without_reference_is_left_out_not_counted_as_zero():
    missing = Saving("c", paid_cents=10000, alone_cents=None, method="m")
    assert missing.saving_cents is None
    part = SavingsPart("p", "m", (missing, Saving("d", 100, 300, "m")))
    assert part.saving_cents == 200
    assert part.paid_cents == 100  # only the counted lines
    assert total_saving([SavingsPart("q", "m", (missing,))]) is None
    assert rate(200, 300) == Decimal("66.7")
    assert rate(None, 300) is None


def test_days_at_the_cost_of_a_day():
    assert days_cost_cents(Decimal("12.5"), 26000) == 325000


def test_quartiles_need_a_group_of_five():
    assert quartiles([1, 2, 3, 4]) is None
    group = quartiles([10, 20, 30, 40, 50])
    assert group is not None
    assert (group.q1, group.median, group.q3) == (Decimal(20), Decimal(30), Decimal(40))
    assert position(5, group) == "low" and position(30, group) == "middle"
    assert position(45, group) == "high"
    even = quartiles([1, 2, 3, 4, 5, 6])
    assert even is not None and even.median == Decimal("3.5")
