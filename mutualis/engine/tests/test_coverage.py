"""Who pays for whom: the columnar expansion of all services at once against a plain reading
of the rules (own subscription first, then the subscriber with the smallest id, then the first
subscription row: own, communes of an EPCI, establishments, establishments of a commune)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mutualis.engine import (
    Inputs,
    Member,
    MemberKind,
    RebillKey,
    Scope,
    Subscription,
    UsageRecord,
    allocate_many,
    parse_tariff,
)
from mutualis.engine.consumers import coverage, days_in_year
from mutualis.engine.model import InputError
from mutualis.engine.tests.profiles import examples

K = MemberKind
MEMBERS = [
    Member("E1", "CC du Lac", K.EPCI, 9_000),
    Member("E2", "CC des Monts", K.EPCI, 3_000),
    Member("C1", "Ancy", K.COMMUNE, 250, epci_id="E1"),
    Member("C2", "Bourg", K.COMMUNE, 4_000, epci_id="E1"),
    Member("C3", "Cérons", K.COMMUNE, 450, epci_id="E2"),
    Member("C4", "Dax", K.COMMUNE, 1_200),
    Member("S1", "École", K.ESTABLISHMENT, parent_id="C2", epci_id="E1"),
    Member("S2", "CCAS", K.ESTABLISHMENT, parent_id="C1", epci_id="E1"),
    Member("S3", "Syndicat", K.ESTABLISHMENT, parent_id="E2"),
    Member("S4", "Régie", K.ESTABLISHMENT, parent_id="C3", epci_id="E2"),
    Member("S5", "Office", K.ESTABLISHMENT, parent_id="C4"),
]
IDS = [m.id for m in MEMBERS]
SERVICES = ["a", "b"]
TARIFFS = [
    parse_tariff('service = "a"\nyear = 2026\n[[components]]\ntype = "flat"\namount = 10\n'),
    parse_tariff(
        'service = "b"\nyear = 2026\nprorata_temporis = false\n'
        '[[components]]\ntype = "flat"\namount = 10\n'
    ),
]
DATES = st.one_of(st.none(), st.dates(date(2025, 6, 1), date(2027, 3, 1)))
SUBSCRIPTIONS = st.builds(
    Subscription,
    member_id=st.sampled_from(IDS),
    service=st.sampled_from(SERVICES),
    scope=st.sampled_from(list(Scope)),
    start=DATES,
    end=DATES,
    establishments=st.lists(st.sampled_from(["S1", "S2", "S3", "S4", "S5"]), max_size=2).map(tuple),
    rebill=st.one_of(st.none(), st.sampled_from(list(RebillKey))),
)


def expected(
    subs: list[Subscription], service: str, prorata: bool
) -> dict[str, tuple[str, int, str | None]]:
    """consumer → (payer, days, re-billing key), read from the rules one row at a time."""
    by_id = {m.id: m for m in MEMBERS}
    rank = {member_id: i for i, member_id in enumerate(sorted(IDS))}
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    candidates = []
    for row, sub in enumerate(subs):
        if sub.service != service:
            continue
        start = max(sub.start or first, first)
        end = min(sub.end or last, last)
        days = max((end - start).days + 1, 0)
        if not prorata and days > 0:
            days = days_in_year(2026)
        if days <= 0:
            continue
        s = sub.member_id
        covered = [(s, 0)]
        communes = sorted(m.id for m in MEMBERS if m.kind is K.COMMUNE and m.epci_id == s)
        if sub.scope is not Scope.SELF:
            covered += [(c, 1) for c in communes]
        if sub.scope is Scope.WITH_ESTABLISHMENTS:
            for holders, part in (([s], 2), (communes, 3)):
                for holder in holders:
                    covered += [
                        (m.id, part)
                        for m in MEMBERS
                        if m.kind is K.ESTABLISHMENT
                        and m.parent_id == holder
                        and (not sub.establishments or m.id in sub.establishments)
                    ]
        for consumer, part in covered:
            order = (consumer != s, rank[s], part, row)
            rebill = str(sub.rebill) if sub.rebill else None
            candidates.append((consumer, order, (s, days, rebill)))
    best: dict[str, tuple[tuple[bool, int, int, int], tuple[str, int, str | None]]] = {}
    for consumer, order, value in candidates:
        if consumer not in best or order < best[consumer][0]:
            best[consumer] = (order, value)
    assert all(by_id[c] for c in best)
    return {c: value for c, (_, value) in best.items()}


TIE = [  # two rows of the same subscriber for itself: the first row wins, every run
    Subscription("E1", "a", Scope.WITH_COMMUNES, start=date(2026, 7, 1), rebill=RebillKey.EQUAL),
    Subscription("E1", "a"),
]


@examples(150)
@example(subs=TIE)
@given(subs=st.lists(SUBSCRIPTIONS, max_size=8))
def test_coverage_matches_the_rules_row_by_row(subs: list[Subscription]) -> None:
    inputs = Inputs.build(MEMBERS, subs, [])
    assert inputs.subscriptions is not None and inputs.subscription_member is not None
    covered = coverage(TARIFFS, inputs.members, inputs.subscriptions, inputs.subscription_member)
    ids = inputs.members.ids
    for position, tariff in enumerate(TARIFFS):
        got = covered.of(position)
        assert got.rebill is not None
        consumers = [str(ids[i]) for i in got.consumer]
        assert consumers == sorted(consumers)
        found = {
            str(ids[c]): (str(ids[p]), int(d), r)
            for c, p, d, r in zip(
                got.consumer, got.subscriber, got.days, got.rebill.to_list(), strict=True
            )
        }
        assert found == expected(subs, tariff.service, tariff.prorata)


def test_two_own_subscriptions_the_first_row_wins_every_time() -> None:
    for _ in range(5):
        (result,) = allocate_many(TARIFFS[:1], Inputs.build(MEMBERS, TIE, []), 2026)
        row = result.lines.filter(result.lines["member_id"] == "E1").row(0, named=True)
        assert (row["payer_id"], row["days"]) == ("E1", 184)


def usage(member: str, service: str, year: int = 2026) -> UsageRecord:
    return UsageRecord(member, service, year, 5, Decimal(1))


def test_a_usage_member_that_is_not_a_member_is_reported_for_its_service() -> None:
    records = [usage("C1", "a"), usage("X9", "b")]
    with pytest.raises(InputError, match="consommations : membre inconnu « X9 » \\(b\\)"):
        allocate_many(TARIFFS, Inputs.build(MEMBERS, None, records), 2026)
    # Another year or a service without tariff is not read.
    records = [usage("C1", "a"), usage("X9", "b", 2025), usage("X9", "zz")]
    results = allocate_many(TARIFFS, Inputs.build(MEMBERS, None, records), 2026)
    assert results[0].amounts() == {"C1": 1000}


def test_a_subscriber_that_is_not_a_member_is_reported_for_its_service() -> None:
    subs = [Subscription("C1", "a"), Subscription("X9", "b")]
    with pytest.raises(InputError, match="souscriptions : membre inconnu « X9 » \\(b\\)"):
        allocate_many(TARIFFS, Inputs.build(MEMBERS, subs, []), 2026)
    subs = [Subscription("C1", "a"), Subscription("X9", "zz")]
    results = allocate_many(TARIFFS, Inputs.build(MEMBERS, subs, []), 2026)
    assert results[0].amounts() == {"C1": 1000}
