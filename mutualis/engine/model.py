"""Input and output records of the engine, and their columnar (polars) forms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

import polars as pl

from mutualis.engine.money import COEF_SCALE, QTY_SCALE, to_scaled


class MemberKind(StrEnum):
    REGION = "region"
    DEPARTEMENT = "departement"
    EPCI = "epci"
    COMMUNE = "commune"
    ESTABLISHMENT = "establishment"
    OTHER = "other"


KIND_LABELS: dict[str, str] = {
    "region": "région",
    "departement": "département",
    "epci": "EPCI",
    "commune": "commune",
    "establishment": "établissement",
    "other": "autre",
}


class Scope(StrEnum):
    """What a subscription covers (and so who is billed for whom)."""

    SELF = "self"
    WITH_COMMUNES = "with_communes"
    WITH_ESTABLISHMENTS = "with_establishments"


class RebillKey(StrEnum):
    """How an EPCI re-bills to its communes what it pays for them."""

    POPULATION = "population"
    USAGE = "usage"
    EQUAL = "equal"


OWN_REBILL_KEYS = (RebillKey.POPULATION, RebillKey.EQUAL)
"""The keys by which an EPCI re-bills its own participation (``usage`` has no meaning: its
consumption is not a commune's)."""


class ChargeRule(StrEnum):
    """Where a charge line comes from."""

    TARIFF = "tarif"
    """A priced tariff (``[[components]]``)."""
    SHARING = "repartition"
    """A share of the net cost (``[cost_sharing]``)."""
    CONTRIBUTION = "contribution"
    """A subsidy paid by a member (``[[cost_sharing.subsidies]]`` with ``member``)."""
    REBILLING = "refacturation"
    """An EPCI passing on to a commune what it pays (``rebill``, ``rebill_own``)."""


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    name: str
    kind: MemberKind
    population: int = 0
    parent_id: str | None = None
    """For an establishment: the commune or EPCI it is attached to."""
    epci_id: str | None = None
    """The EPCI whose territory holds the member (for a commune: its EPCI)."""
    indicators: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Subscription:
    member_id: str
    service: str
    scope: Scope = Scope.SELF
    start: date | None = None
    end: date | None = None
    establishments: tuple[str, ...] = ()
    """With ``with_establishments``: the chosen ones; empty means all of them."""
    rebill: RebillKey | None = None
    rebill_own: RebillKey | None = None
    """The EPCI re-bills its own participation too (its line and its own establishments'), to
    the communes it pays for, by population or in equal shares."""


@dataclass(frozen=True, slots=True)
class UsageRecord:
    member_id: str
    service: str
    year: int
    month: int
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class Charge:
    """One output line: what ``member_id`` consumed and what ``payer_id`` owes for it."""

    service: str
    year: int
    member_id: str
    payer_id: str
    rule: ChargeRule
    quantity: Decimal
    amount_cents: int
    explanation: str
    issuer_id: str = ""
    """Empty when the operator bills; an EPCI id for a re-billing line."""
    coefficient: Decimal = Decimal(1)
    days: int = 0
    days_in_year: int = 0
    exemption: str = ""
    limit: str = ""


# ------------------------------------------------------------------ columnar forms

MEMBER_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "name": pl.String(),
    "kind": pl.String(),
    "population": pl.Int64(),
    "parent_id": pl.String(),
    "epci_id": pl.String(),
}
SUBSCRIPTION_SCHEMA: dict[str, pl.DataType] = {
    "member_id": pl.String(),
    "service": pl.String(),
    "scope": pl.String(),
    "start": pl.Date(),
    "end": pl.Date(),
    "establishments": pl.List(pl.String()),
    "rebill": pl.String(),
    "rebill_own": pl.String(),
}
USAGE_SCHEMA: dict[str, pl.DataType] = {
    "member_id": pl.String(),
    "service": pl.String(),
    "year": pl.Int32(),
    "month": pl.Int8(),
    "quantity": pl.Int64(),  # milli-units (QTY_SCALE)
}


def members_frame(members: Iterable[Member]) -> pl.DataFrame:
    """Members as a frame; each indicator becomes an Int64 column ``ind:<name>`` (×10 000)."""
    rows = list(members)
    names = sorted({name for m in rows for name in m.indicators})
    data: dict[str, list[object]] = {
        "id": [m.id for m in rows],
        "name": [m.name for m in rows],
        "kind": [str(m.kind) for m in rows],
        "population": [m.population for m in rows],
        "parent_id": [m.parent_id for m in rows],
        "epci_id": [m.epci_id for m in rows],
    }
    schema = dict(MEMBER_SCHEMA)
    for name in names:
        data[f"ind:{name}"] = [
            to_scaled(m.indicators[name], COEF_SCALE) if name in m.indicators else None
            for m in rows
        ]
        schema[f"ind:{name}"] = pl.Int64()
    return pl.DataFrame(data, schema=schema)


def subscriptions_frame(subscriptions: Iterable[Subscription]) -> pl.DataFrame:
    rows = list(subscriptions)
    return pl.DataFrame(
        {
            "member_id": [s.member_id for s in rows],
            "service": [s.service for s in rows],
            "scope": [str(s.scope) for s in rows],
            "start": [s.start for s in rows],
            "end": [s.end for s in rows],
            "establishments": [list(s.establishments) for s in rows],
            "rebill": [str(s.rebill) if s.rebill else None for s in rows],
            "rebill_own": [str(s.rebill_own) if s.rebill_own else None for s in rows],
        },
        schema=SUBSCRIPTION_SCHEMA,
    )


def usage_frame(records: Iterable[UsageRecord]) -> pl.DataFrame:
    rows = list(records)
    return pl.DataFrame(
        {
            "member_id": [r.member_id for r in rows],
            "service": [r.service for r in rows],
            "year": [r.year for r in rows],
            "month": [r.month for r in rows],
            "quantity": [to_scaled(r.quantity, QTY_SCALE) for r in rows],
        },
        schema=USAGE_SCHEMA,
    )


class TariffError(ValueError):
    """A tariff file is invalid; the message names the file and the key path."""


class InputError(ValueError):
    """Members, subscriptions or usage are inconsistent (unknown member, duplicate id...)."""
