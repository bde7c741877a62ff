from datetime import date

from mutualis.engine import Scope, Subscription, parse_tariff
from mutualis.engine.consumers import days_in_year
from mutualis.engine.tariff import UsageMode, YearReading
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


# ------------------------------------------------------------------ default by usage mode

UNIT_PRICE = '[[components]]\ntype = "unit_price"\nprice = 10\n'
FLOW = '[usage]\nmode = "flow"\n'
FROM_MAY = (("C1", date(2026, 5, 1), None),)  # 245 days of 365


def test_a_flow_measured_from_may_is_not_cut_again_by_days() -> None:
    # 12 days worked from May: the usage already counts the partial year.
    result = run(FLOW + UNIT_PRICE, {"C1": 12}, subscriptions=subs(*FROM_MAY))
    assert result.amounts() == {"C1": 12_000}
    assert "prorata" not in result.explanations()[0]


def test_a_stock_and_a_flat_fee_are_pro_rated_by_default() -> None:
    stock = run(UNIT_PRICE, {"C1": 12}, subscriptions=subs(*FROM_MAY))
    assert stock.amounts() == {"C1": 8_055}  # 120 € × 245/365 = 80.547…
    flat_on_a_flow = run(FLOW + FLAT, {}, subscriptions=subs(*FROM_MAY))
    assert flat_on_a_flow.amounts() == {"C1": 24_500}
    assert "prorata 245/365 jours" in flat_on_a_flow.explanations()[0]


def test_cost_sharing_of_a_flow_is_not_weighted_by_days() -> None:
    body = FLOW + "[cost_sharing]\ncost = 300\n"
    result = run(
        body,
        {"C1": 1, "C2": 2},
        subscriptions=subs(("C1", date(2026, 7, 1), None), ("C2", None, None)),
    )
    assert result.amounts() == {"C1": 10_000, "C2": 20_000}


def test_an_explicit_prorata_in_the_tariff_wins() -> None:
    forced = run(
        "prorata_temporis = true\n" + FLOW + UNIT_PRICE,
        {"C1": 12},
        subscriptions=subs(*FROM_MAY),
    )
    assert forced.amounts() == {"C1": 8_055}
    off = run("prorata_temporis = false\n" + UNIT_PRICE, {"C1": 12}, subscriptions=subs(*FROM_MAY))
    assert off.amounts() == {"C1": 12_000}


def test_the_catalogue_usage_mode_is_the_default_and_the_tariff_wins() -> None:
    head = 'service = "svc"\nyear = 2026\n'
    by_service = parse_tariff(head + UNIT_PRICE, service_usage=UsageMode.FLOW)
    assert by_service.usage is UsageMode.FLOW and not by_service.prorata
    assert by_service.reading is YearReading.SUM
    written = parse_tariff(
        head + '[usage]\nmode = "stock"\n' + UNIT_PRICE, service_usage=UsageMode.FLOW
    )
    assert written.usage is UsageMode.STOCK and written.prorata
    assert written.reading is YearReading.LAST
    assert parse_tariff(head + UNIT_PRICE).prorata  # no catalogue (mutualis allocate): stock
