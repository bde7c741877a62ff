"""The typed front door: builders give the very frames of the records, results come back as
typed charges (Decimal quantities, integer cents, a ChargeRule)."""

from datetime import date
from decimal import Decimal

import pytest

from mutualis.engine import (
    ChargeRule,
    MemberColumns,
    RebillKey,
    Scope,
    Subscription,
    SubscriptionColumns,
    UsageColumns,
    allocate,
    member_details,
    parse_tariff,
)
from mutualis.engine.model import members_frame, subscriptions_frame, usage_frame
from mutualis.engine.money import PrecisionError
from mutualis.engine.tests.helpers import run, territory, usage


def test_member_columns_are_the_frame_of_the_records() -> None:
    members = territory()
    columns = MemberColumns()
    for m in members:
        columns.add(m.id, m.name, m.kind, m.population, m.parent_id, m.epci_id)
    assert columns.frame().equals(members_frame(members))
    assert ("C1", "Ancy", 250) in list(member_details(columns.frame()))


def test_subscription_columns_are_the_frame_of_the_records() -> None:
    subscriptions = [
        Subscription("E1", "svc", Scope.WITH_ESTABLISHMENTS, date(2026, 3, 1), None, ("S1",)),
        Subscription("C2", "svc", rebill=RebillKey.USAGE, rebill_own=RebillKey.EQUAL),
    ]
    columns = SubscriptionColumns()
    for s in subscriptions:
        columns.add(
            s.member_id,
            s.service,
            s.scope,
            s.start,
            s.end,
            s.establishments,
            s.rebill,
            s.rebill_own,
        )
    assert columns.frame().equals(subscriptions_frame(subscriptions))


def test_usage_columns_are_the_frame_of_the_records() -> None:
    records = usage("svc", {"C1": "12.5", "C2": 3, "C3": "0.001"})
    columns = UsageColumns()
    for r in records:
        columns.add(r.member_id, r.service, r.year, r.month, r.quantity)
    assert len(columns) == 3
    assert columns.frame().equals(usage_frame(records))


def test_usage_columns_refuse_a_fourth_decimal() -> None:
    with pytest.raises(PrecisionError):
        UsageColumns().add("C1", "svc", 2026, 1, Decimal("1.0005"))


def test_charges_are_typed() -> None:
    result = run('[[components]]\ntype = "unit_price"\nprice = 2', {"C1": "12.5", "C2": 3})
    charges = list(result.charges())
    assert [(c.member_id, c.quantity, c.amount_cents) for c in charges] == [
        ("C1", Decimal("12.5"), 2500),
        ("C2", Decimal(3), 600),
    ]
    assert {c.rule for c in charges} == {ChargeRule.TARIFF} == {result.rule}
    assert charges[0].explanation == result.explanations()[0]
    assert charges[0].coefficient == 1 and charges[0].days == charges[0].days_in_year == 365


def test_sharing_contribution_and_rebilling_rules() -> None:
    tariff = parse_tariff(
        'service = "svc"\nyear = 2026\n[cost_sharing]\ncost = 1000\n'
        '[[cost_sharing.subsidies]]\nlabel = "Dép."\namount = 100\nmember = "D33"\n'
    )
    subs = [Subscription("E1", "svc", Scope.WITH_COMMUNES, rebill=RebillKey.POPULATION)]
    result = allocate(tariff, territory(), subs, usage("svc", {"E1": 1, "C1": 1, "C2": 2}))
    rules = {c.rule for c in result.charges()}
    assert rules == {ChargeRule.SHARING, ChargeRule.CONTRIBUTION, ChargeRule.REBILLING}
    assert result.rule is ChargeRule.SHARING
    contribution = next(c for c in result.charges() if c.rule is ChargeRule.CONTRIBUTION)
    assert (contribution.quantity, contribution.amount_cents) == (Decimal(0), 10000)


def test_usage_from_rows_is_the_frame_of_the_typed_columns() -> None:
    from decimal import Decimal

    from mutualis.engine.frames import UsageColumns, usage_from_rows

    columns = UsageColumns()
    columns.add("12", "nas", 2026, 3, Decimal("1.5"))
    columns.add("7", "ent", 2026, 12, Decimal("0.001"))
    rows = [(12, "nas", 3, 1500), (7, "ent", 12, 1)]
    assert usage_from_rows(rows, 2026).equals(columns.frame())
    assert usage_from_rows([], 2026).equals(UsageColumns().frame())


def test_subscriptions_from_columns_is_the_frame_of_the_typed_columns() -> None:
    from datetime import date

    import pytest

    from mutualis.engine import RebillKey, Scope, SubscriptionColumns
    from mutualis.engine.frames import subscriptions_from_columns

    columns = SubscriptionColumns()
    columns.add("3", "nas", Scope.WITH_ESTABLISHMENTS, date(2026, 7, 1), None, ["8", "9"],
                RebillKey.POPULATION)  # fmt: skip
    columns.add("4", "nas", Scope.SELF, None, date(2026, 3, 31), (), None, RebillKey.EQUAL)
    frame = subscriptions_from_columns(
        [3, "4"],
        ["nas", "nas"],
        ["with_establishments", "self"],
        [date(2026, 7, 1), None],
        [None, date(2026, 3, 31)],
        [["8", "9"], ()],
        ["population", ""],
        [None, "equal"],
    )
    assert frame.equals(columns.frame())
    with pytest.raises(ValueError, match="scope inconnu « partout »"):
        subscriptions_from_columns(["3"], ["nas"], ["partout"], [None], [None], [()], [""], [""])
    with pytest.raises(ValueError, match="rebill inconnu « au hasard »"):
        subscriptions_from_columns(
            ["3"], ["nas"], ["self"], [None], [None], [()], ["au hasard"], [""]
        )
