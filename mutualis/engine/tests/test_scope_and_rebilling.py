from mutualis.engine import RebillKey, Scope, Subscription
from mutualis.engine.allocate import AllocationResult
from mutualis.engine.tests.helpers import run

UNIT = '[[components]]\ntype = "unit_price"\nprice = 1\n'
USE = {"E1": 10, "C1": 20, "C2": 30, "C3": 40, "C4": 50, "S1": 5, "S2": 7}


def payers(result: AllocationResult) -> dict[str, str]:
    lines = result.lines.filter(result.lines["issuer_id"] == "")
    return dict(zip(lines["member_id"], lines["payer_id"], strict=True))


def test_self_scope_covers_the_epci_alone() -> None:
    result = run(UNIT, USE, subscriptions=[Subscription("E1", "svc")])
    assert payers(result) == {"E1": "E1"}


def test_with_communes_the_epci_pays_for_its_communes() -> None:
    result = run(UNIT, USE, subscriptions=[Subscription("E1", "svc", Scope.WITH_COMMUNES)])
    assert payers(result) == {m: "E1" for m in ["C1", "C2", "C3", "C4", "E1"]}


def test_with_chosen_establishments() -> None:
    sub = Subscription("E1", "svc", Scope.WITH_ESTABLISHMENTS, establishments=("S1",))
    result = run(UNIT, USE, subscriptions=[sub])
    assert payers(result)["S1"] == "E1" and "S2" not in payers(result)
    every = run(UNIT, USE, subscriptions=[Subscription("E1", "svc", Scope.WITH_ESTABLISHMENTS)])
    assert {"S1", "S2"} <= set(payers(every))


def test_a_commune_own_subscription_wins_over_its_epci() -> None:
    subs = [Subscription("E1", "svc", Scope.WITH_COMMUNES), Subscription("C2", "svc")]
    result = run(UNIT, USE, subscriptions=subs)
    assert payers(result)["C2"] == "C2" and payers(result)["C1"] == "E1"


def rebilled(key: RebillKey, body: str = UNIT) -> dict[str, int]:
    sub = Subscription("E1", "svc", Scope.WITH_ESTABLISHMENTS, rebill=key)
    result = run(body, USE, subscriptions=[sub])
    lines = result.lines.filter(result.lines["rule"] == "refacturation")
    assert set(lines["issuer_id"]) == {"E1"}
    return dict(zip(lines["member_id"], lines["amount_cents"], strict=True))


def test_rebilling_by_usage_adds_establishments_to_their_commune() -> None:
    assert rebilled(RebillKey.USAGE) == {"C1": 2700, "C2": 3500, "C3": 4000, "C4": 5000}


def test_rebilling_by_population_splits_what_the_epci_pays_for_others() -> None:
    shares = rebilled(RebillKey.POPULATION)
    assert sum(shares.values()) == 15_200  # all but the EPCI's own 10 €
    assert shares["C2"] > shares["C4"] > shares["C3"] > shares["C1"]


def test_rebilling_equal_shares_and_exempt_communes_are_not_rebilled() -> None:
    body = UNIT + '[[exemptions]]\nkinds = ["commune"]\npopulation_below = 300\n'
    shares = rebilled(RebillKey.EQUAL, body)
    # C1 exempt (0), its CCAS S2 still pays 7 €: 30 + 5 + 40 + 50 + 7 = 132 € split in three
    assert shares == {"C2": 4400, "C3": 4400, "C4": 4400}
