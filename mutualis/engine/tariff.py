"""Tariff rules as typed dataclasses (amounts and quantities as scaled integers).

The TOML reader is :mod:`mutualis.engine.tariff_toml`; :func:`parse_tariff` and
:func:`load_tariff` are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from mutualis.engine.money import COEF_SCALE, QTY_SCALE


class TariffError(ValueError):
    """A tariff file is invalid; the message names the file and the key path."""


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


class TierMode(StrEnum):
    GRADUATED = "graduated"
    VOLUME = "volume"


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
class UnitPrice:
    price: int
    """Price of one unit in PRICE_SCALE units (1 € = 1 000 000)."""
    by_kind: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FlatFee:
    amount_cents: int
    by_kind: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Tier:
    upto: int | None
    """End of the band in milli-units (the next band's start when written with ``from``);
    None for an open last band."""
    price: int


@dataclass(frozen=True, slots=True)
class Tiers:
    mode: TierMode
    bands: tuple[Tier, ...]
    lower_bounds: bool = False
    """Written with ``from`` (« à partir de ») rather than ``upto`` (« jusqu'à »): a band starts
    at its bound, included, and a quantity below the first bound (``start``) is outside."""
    start: int = 0
    """The first ``from`` in milli-units (0 when written with ``upto``)."""

    @property
    def maximum(self) -> int | None:
        """The last ``upto`` when the last band is closed: a quantity above it is outside."""
        return self.bands[-1].upto


@dataclass(frozen=True, slots=True)
class Grid:
    measures: tuple[str, ...]
    bounds: tuple[tuple[int, ...], ...]
    """Bound of each band, per measure, in the measure's scale (see measure_scale): its lower
    bound (« dès ») or, with ``upto``, its upper bound (« jusqu'à »), included."""
    table: tuple[Any, ...] | None = None
    """Nested tuples of cents, one level per measure."""
    base_cents: int | None = None
    coefficients: tuple[int, ...] = ()
    """×10 000, indexed by the sum of the band positions."""
    upto: bool = False
    """Bounds are upper bounds: a value above the last one is outside (otherwise a value below
    the first lower bound is)."""


@dataclass(frozen=True, slots=True)
class Quota:
    included: int
    """Included quantity in milli-units."""
    price: int
    fee_cents: int = 0
    included_by_kind: Mapping[str, int] = field(default_factory=dict)


Component = UnitPrice | FlatFee | Tiers | Grid | Quota


@dataclass(frozen=True, slots=True)
class Exemption:
    label: str
    kinds: frozenset[str] = frozenset()
    population_below: int | None = None
    parent_population_below: int | None = None
    members: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class SolidarityBand:
    below: int | None
    coefficient: int


@dataclass(frozen=True, slots=True)
class Solidarity:
    measure: str
    """``population`` or the name of a member indicator."""
    bands: tuple[SolidarityBand, ...]


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


def measure_scale(measure: str) -> int:
    if measure == "quantity":
        return QTY_SCALE
    if measure in {"population", "establishments"}:
        return 1
    return COEF_SCALE


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
