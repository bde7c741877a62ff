"""Pure tariff and allocation engine (no Django, no other part of the project).

Public entry points:

- :func:`mutualis.engine.tariff.load_tariff` / :func:`parse_tariff` read a TOML tariff;
- :func:`mutualis.engine.allocate.allocate` turns a tariff, members, subscriptions and usage
  into charge lines (:class:`mutualis.engine.allocate.AllocationResult`);
- :func:`mutualis.engine.cli.main` is ``mutualis allocate``.
"""

from mutualis.engine.allocate import AllocationResult, Inputs, allocate, allocate_many
from mutualis.engine.model import (
    Charge,
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
    "Inputs",
    "Member",
    "MemberKind",
    "RebillKey",
    "Scope",
    "Subscription",
    "Tariff",
    "TariffError",
    "UsageRecord",
    "allocate",
    "allocate_many",
    "load_tariff",
    "parse_tariff",
]
