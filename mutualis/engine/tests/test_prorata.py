from datetime import date

from mutualis.engine import Scope, Subscription
from mutualis.engine.consumers import days_in_year
from mutualis.engine.tests.helpers import run

FLAT = '[[components]]\ntype = "flat"\namount = 365\n'


def subs(*rows: tuple[str, date | None, date | None]) -> list[Subscription]:
    return [Subscription(m, "svc", Scope.SELF, start, end) for m, start, end in rows]


def test_joining_and_leaving_mid_year_is_counted_in_days() -> None:
    result = run(
        FLAT,
        {},
        subscriptions=subs(
            ("C1", date(2026, 7, 1), None),  # 184 days
            ("C2", None, date(2026, 1, 31)),  # 31 days
            ("C4", date(2025, 3, 1), date(2027, 1, 1)),  # whole year
            ("C3", date(2027, 1, 1), None),  # not this year: no line
        ),
    )
    assert result.amounts() == {"C1": 18_400, "C2": 3_100, "C4": 36_500}
    assert "prorata 184/365 jours" in result.explanations()[0]


def test_prorata_can_be_switched_off() -> None:
    result = run(
        "prorata_temporis = false\n" + FLAT, {}, subscriptions=subs(("C1", date(2026, 7, 1), None))
    )
    assert result.amounts() == {"C1": 36_500}


def test_prorata_weights_the_cost_sharing_key() -> None:
    body = "[cost_sharing]\ncost = 549\n"
    result = run(
        body,
        {"C1": 1, "C2": 1},
        subscriptions=subs(("C1", date(2026, 7, 1), None), ("C2", None, None)),
    )
    # keys 184 and 365 → 184/549 and 365/549 of 549 €
    assert result.amounts() == {"C1": 18_400, "C2": 36_500}


def test_leap_years_have_366_days() -> None:
    assert days_in_year(2028) == 366
    assert days_in_year(2026) == 365
