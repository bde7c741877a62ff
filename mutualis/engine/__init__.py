"""Pure tariff and allocation engine (no Django, no other part of the project).

Public entry points:

- :func:`mutualis.engine.tariff.load_tariff` / :func:`parse_tariff` read a TOML tariff;
- :func:`mutualis.engine.allocate.allocate` turns a tariff, members, subscriptions and usage
  into charge lines (:class:`mutualis.engine.allocate.AllocationResult`);
- :mod:`mutualis.engine.frames` is the typed front door: typed builders of the input frames
  (:class:`MemberColumns`, :class:`SubscriptionColumns`, :class:`UsageColumns`) and
  :meth:`AllocationResult.charges` (:class:`Charge` records) — a caller never writes the
  engine's column names nor its internal scales;
- :func:`mutualis.engine.cli.main` is ``mutualis allocate``.
"""

from mutualis.engine.allocate import AllocationResult, Inputs, allocate, allocate_many
from mutualis.engine.frames import (
    ChargeColumns,
    MemberColumns,
    SubscriptionColumns,
    UsageColumns,
    charge_columns,
    member_details,
    quantity_of,
)
from mutualis.engine.model import (
    Charge,
    ChargeRule,
    Member,
    MemberKind,
    RebillKey,
    Scope,
    Subscription,
    UsageRecord,
)
from mutualis.engine.tariff import Tariff, TariffError, load_tariff, parse_tariff

__all__ = [
    "AllocationResult",
    "Charge",
    "ChargeColumns",
    "ChargeRule",
    "Inputs",
    "Member",
    "MemberColumns",
    "MemberKind",
    "RebillKey",
    "Scope",
    "Subscription",
    "SubscriptionColumns",
    "Tariff",
    "TariffError",
    "UsageColumns",
    "UsageRecord",
    "allocate",
    "allocate_many",
    "charge_columns",
    "load_tariff",
    "member_details",
    "parse_tariff",
    "quantity_of",
]
