"""The tariff rules, one file per kind: its dataclass, its TOML reader, its columnar
computation (integer cents over arrays of consumers) and its explanation side by side.

Components of a priced tariff (``[[components]]``, chosen by ``type``) are in the registry
:data:`COMPONENTS`: adding one is a file defining a :class:`~.base.ComponentRule` (``TYPE``,
``parse``, ``amounts``, ``explain`` and, when it reads bands or member measures,
``band_checks`` and ``measures_read``), its line in :data:`COMPONENTS`, its section in
``docs/tariffs.md`` and its tests. Exemptions and solidarity have a file each too; cost sharing
and limits, which decide the final amounts, are in :mod:`mutualis.engine.charges`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mutualis.engine.money import IntArray
from mutualis.engine.rules.base import (
    KIND_CODES,
    KIND_INDEX,
    MEASURE_LABELS,
    PRICE_DIVISOR,
    BoolArray,
    ComponentRule,
    MemberArrays,
    band_index,
    by_kind,
    measure_scale,
    measure_values,
)
from mutualis.engine.rules.exemption import Exemption, exemption_index, explain_exemption
from mutualis.engine.rules.flat import FlatFee
from mutualis.engine.rules.grid import Grid, grid_positions
from mutualis.engine.rules.quota import Quota
from mutualis.engine.rules.solidarity import Solidarity, SolidarityBand, solidarity_coefficients
from mutualis.engine.rules.tiers import Tier, TierMode, Tiers, tier_units, volume_band
from mutualis.engine.rules.unit_price import UnitPrice

Component = UnitPrice | FlatFee | Tiers | Grid | Quota

COMPONENTS: dict[str, type[Component]] = {
    rule.TYPE: rule for rule in (UnitPrice, FlatFee, Tiers, Grid, Quota)
}
"""``type`` → the component's class, in the order the documentation lists them."""


@dataclass(frozen=True, slots=True)
class Outside:
    """Consumers whose value falls outside the bands of a tiers or grid component."""

    rows: IntArray
    """Positions of the consumers, in consumer order."""
    values: IntArray
    measure: str
    above: bool
    """Above the last upper bound (otherwise below the first lower bound)."""
    bound: int


def outside_bands(
    component: Component, measures: Mapping[str, IntArray], eligible: BoolArray
) -> Outside | None:
    """The first measure of ``component`` with eligible values outside its bands, if any.

    Lower bounds (« dès », « à partir de »): below the first one is outside. Upper bounds
    (« jusqu'à »): above the last one is outside. An open last band (tiers) has no maximum.
    """
    for name, low, high in component.band_checks():
        values = measures[name]
        for bound, above in ((low, False), (high, True)):
            if bound is None:
                continue
            bad = eligible & ((values > bound) if above else (values < bound))
            if bad.any():
                rows = np.flatnonzero(bad).astype(np.int64)
                return Outside(rows, values[rows], name, above, bound)
    return None


def component_amounts(
    component: Component,
    qty: IntArray,
    kind: npt.NDArray[np.int8],
    measures: Mapping[str, IntArray],
) -> IntArray:
    """Amount in cents of one component for every consumer (half up to the cent)."""
    return component.amounts(qty, kind, measures)


__all__ = [
    "COMPONENTS",
    "KIND_CODES",
    "KIND_INDEX",
    "MEASURE_LABELS",
    "PRICE_DIVISOR",
    "BoolArray",
    "Component",
    "ComponentRule",
    "Exemption",
    "FlatFee",
    "Grid",
    "MemberArrays",
    "Outside",
    "Quota",
    "Solidarity",
    "SolidarityBand",
    "Tier",
    "TierMode",
    "Tiers",
    "UnitPrice",
    "band_index",
    "by_kind",
    "component_amounts",
    "exemption_index",
    "explain_exemption",
    "grid_positions",
    "measure_scale",
    "measure_values",
    "outside_bands",
    "solidarity_coefficients",
    "tier_units",
    "volume_band",
]
