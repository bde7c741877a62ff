"""A tariff as a typed dataclass (amounts and quantities as scaled integers).

Each rule (components, exemptions, solidarity) is defined in its own file of
:mod:`mutualis.engine.rules` and re-exported here. The TOML reader is
:mod:`mutualis.engine.tariff_toml`; :func:`parse_tariff` and :func:`load_tariff` are
re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from mutualis.engine.model import TariffError
from mutualis.engine.rules import (
    Component,
    Exemption,
    FlatFee,
    Grid,
    Quota,
    Solidarity,
    SolidarityBand,
    Tier,
    TierMode,
    Tiers,
    UnitPrice,
    measure_scale,
)


class UsageMode(StrEnum):
    STOCK = "stock"
    FLOW = "flow"


class YearReading(StrEnum):
    LAST = "last"
    MEAN = "mean"
    MAX = "max"
    SUM = "sum"


class Rounding(StrEnum):
    CENT = "cent"
    EURO = "euro"


@dataclass(frozen=True, slots=True)
class Subsidy:
    label: str
    share: int | None = None
    """Part of the cost (×10 000): 4000 = 40 %."""
    amount_cents: int | None = None
    member_id: str | None = None
    """The member paying a fixed contribution (it gets a line of its own)."""


@dataclass(frozen=True, slots=True)
class CostSharing:
    cost_cents: int
    subsidies: tuple[Subsidy, ...] = ()
    weights_by_kind: Mapping[str, int] = field(default_factory=dict)
    """Weight (×10 000) of a unit by member kind; a missing kind weighs 1."""


@dataclass(frozen=True, slots=True)
class Limits:
    floor_cents: int | None = None
    cap_cents: int | None = None
    cap_per_inhabitant: int | None = None
    """PRICE_SCALE units per inhabitant."""


@dataclass(frozen=True, slots=True)
class Tariff:
    service: str
    year: int
    label: str = ""
    unit: str = "unité"
    usage: UsageMode = UsageMode.STOCK
    reading: YearReading = YearReading.LAST
    rounding: Rounding = Rounding.CENT
    prorata: bool = True
    cost_sharing: CostSharing | None = None
    components: tuple[Component, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    solidarity: Solidarity | None = None
    limits: Limits = Limits()
    source: str = "<tarif>"


# The reader needs the classes above: imported last (it is part of this module's API).
from mutualis.engine.tariff_toml import load_tariff, parse_tariff  # noqa: E402

__all__ = [
    "Component",
    "CostSharing",
    "Exemption",
    "FlatFee",
    "Grid",
    "Limits",
    "Quota",
    "Rounding",
    "Solidarity",
    "SolidarityBand",
    "Subsidy",
    "Tariff",
    "TariffError",
    "Tier",
    "TierMode",
    "Tiers",
    "UnitPrice",
    "UsageMode",
    "YearReading",
    "load_tariff",
    "measure_scale",
    "parse_tariff",
]
