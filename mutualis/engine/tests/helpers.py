"""Small territories and tariffs for the engine tests."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from mutualis.engine import Member, MemberKind, UsageRecord, allocate, parse_tariff
from mutualis.engine.allocate import AllocationResult
from mutualis.engine.model import Subscription

K = MemberKind


def territory() -> list[Member]:
    """One EPCI, four communes (two small), two establishments, a département."""
    return [
        Member("D33", "Département", K.DEPARTEMENT, 1_600_000),
        Member("E1", "CC du Lac", K.EPCI, 9_000),
        Member("C1", "Ancy", K.COMMUNE, 250, epci_id="E1"),
        Member("C2", "Bourg", K.COMMUNE, 4_000, epci_id="E1"),
        Member("C3", "Cérons", K.COMMUNE, 450, epci_id="E1"),
        Member("C4", "Dax-le-Haut", K.COMMUNE, 1_200, epci_id="E1"),
        Member("S1", "École de Bourg", K.ESTABLISHMENT, 0, parent_id="C2", epci_id="E1"),
        Member("S2", "CCAS d'Ancy", K.ESTABLISHMENT, 0, parent_id="C1", epci_id="E1"),
    ]


def usage(service: str, quantities: Mapping[str, str | int], month: int = 12) -> list[UsageRecord]:
    return [
        UsageRecord(member, service, 2026, month, Decimal(str(qty)))
        for member, qty in quantities.items()
    ]


def tariff(body: str, service: str = "svc", unit: str = "unités") -> object:
    return parse_tariff(f'service = "{service}"\nyear = 2026\nunit = "{unit}"\n{body}')


def run(
    body: str,
    quantities: Mapping[str, str | int],
    members: list[Member] | None = None,
    subscriptions: list[Subscription] | None = None,
) -> AllocationResult:
    t = parse_tariff(f'service = "svc"\nyear = 2026\nunit = "unités"\n{body}')
    return allocate(t, members or territory(), subscriptions, usage("svc", quantities))
