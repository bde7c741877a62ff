"""Columnar computation of each tariff rule over arrays of consumers (integer cents)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from mutualis.engine.money import (
    CENTS_PER_PRICE,
    COEF_SCALE,
    QTY_SCALE,
    AnyIntArray,
    IntArray,
    as_exact,
    mul_div_half_up,
)
from mutualis.engine.tariff import (
    Component,
    Exemption,
    FlatFee,
    Grid,
    Quota,
    Solidarity,
    TierMode,
    Tiers,
    UnitPrice,
)

BoolArray = npt.NDArray[np.bool_]
PRICE_DIVISOR = QTY_SCALE * CENTS_PER_PRICE
"""quantity (milli) × price (PRICE_SCALE) / PRICE_DIVISOR = cents."""

KIND_CODES = ("region", "departement", "epci", "commune", "establishment", "other")
KIND_INDEX = {k: i for i, k in enumerate(KIND_CODES)}


@dataclass(frozen=True, slots=True)
class MemberArrays:
    """The member table as arrays, sorted by id (the index is the tie-break order)."""

    ids: npt.NDArray[np.object_]
    names: npt.NDArray[np.object_]
    frame: pl.DataFrame
    """id, name, kind as polars columns (to gather output strings without Python objects)."""
    kind: npt.NDArray[np.int8]
    population: IntArray
    parent: IntArray
    """Index of the parent member, -1 if none."""
    epci: IntArray
    """Index of the EPCI holding the member, -1 if none."""
    indicators: Mapping[str, tuple[IntArray, BoolArray]]
    """name → (value ×10 000, present)."""

    @property
    def size(self) -> int:
        return int(self.ids.shape[0])


def by_kind(default: int, overrides: Mapping[str, int], kind: npt.NDArray[np.int8]) -> IntArray:
    table = np.full(len(KIND_CODES), default, dtype=np.int64)
    for name, value in overrides.items():
        table[KIND_INDEX[name]] = value
    return table[kind]


def exemption_index(exemptions: tuple[Exemption, ...], m: MemberArrays) -> IntArray:
    """Index (in the tariff) of the first exemption matching each member, -1 for none."""
    out = np.full(m.size, -1, dtype=np.int64)
    for i in reversed(range(len(exemptions))):
        ex = exemptions[i]
        cond = np.ones(m.size, dtype=np.bool_)
        if ex.kinds:
            cond &= np.isin(m.kind, [KIND_INDEX[k] for k in ex.kinds])
        if ex.population_below is not None:
            cond &= m.population < ex.population_below
        if ex.parent_population_below is not None:
            has_parent = m.parent >= 0
            parent_pop = np.where(has_parent, m.population[np.maximum(m.parent, 0)], 0)
            cond &= has_parent & (parent_pop < ex.parent_population_below)
        if ex.members:
            cond &= np.isin(m.ids, np.asarray(sorted(ex.members), dtype=object))
        out[cond] = i
    return out


def measure_values(name: str, m: MemberArrays, exempt: IntArray) -> tuple[IntArray, BoolArray]:
    """Member-level values of a grid or solidarity measure (other than ``quantity``)."""
    present = np.ones(m.size, dtype=np.bool_)
    if name == "population":
        return m.population, present
    if name == "establishments":
        counted = (m.kind == KIND_INDEX["establishment"]) & (exempt < 0) & (m.parent >= 0)
        direct = np.bincount(m.parent[counted], minlength=m.size).astype(np.int64)
        communes = (m.kind == KIND_INDEX["commune"]) & (m.epci >= 0)
        via = np.bincount(m.epci[communes], weights=direct[communes], minlength=m.size)
        is_epci = m.kind == KIND_INDEX["epci"]
        return direct + np.where(is_epci, np.rint(via).astype(np.int64), 0), present
    if name in m.indicators:
        return m.indicators[name]
    return np.zeros(m.size, dtype=np.int64), np.zeros(m.size, dtype=np.bool_)


def solidarity_coefficients(
    solidarity: Solidarity | None, m: MemberArrays, exempt: IntArray
) -> IntArray:
    """Coefficient (×10 000) of each member; 1 when the measure is missing for a member."""
    if solidarity is None:
        return np.full(m.size, COEF_SCALE, dtype=np.int64)
    values, present = measure_values(solidarity.measure, m, exempt)
    belows = np.asarray([b.below for b in solidarity.bands[:-1]], dtype=np.int64)
    coefs = np.asarray([b.coefficient for b in solidarity.bands], dtype=np.int64)
    band = np.searchsorted(belows, values, side="right")
    return np.where(present, coefs[band], COEF_SCALE)


def band_index(bounds: tuple[int, ...], values: IntArray, upto: bool = False) -> IntArray:
    """Position of each value's band: ``bounds`` are lower bounds (« dès ») or, with ``upto``,
    upper bounds (« jusqu'à »), included. A value outside the bands (see :func:`outside_bands`)
    is held in the nearest band; the allocation refuses it before."""
    edges = np.asarray(bounds, dtype=np.int64)
    if upto:
        idx = np.searchsorted(edges, values, side="left")
        return np.minimum(idx, len(bounds) - 1).astype(np.int64)
    idx = np.searchsorted(edges, values, side="right") - 1
    return np.maximum(idx, 0).astype(np.int64)


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
    checks: list[tuple[str, int | None, int | None]] = []
    if isinstance(component, Tiers):
        checks.append(("quantity", component.start or None, component.maximum))
    elif isinstance(component, Grid):
        for name, bounds in zip(component.measures, component.bounds, strict=True):
            low, high = (None, bounds[-1]) if component.upto else (bounds[0], None)
            checks.append((name, low, high))
    for name, low, high in checks:
        values = measures[name]
        for bound, above in ((low, False), (high, True)):
            if bound is None:
                continue
            bad = eligible & ((values > bound) if above else (values < bound))
            if bad.any():
                rows = np.flatnonzero(bad).astype(np.int64)
                return Outside(rows, values[rows], name, above, bound)
    return None


def _sum_products(parts: list[tuple[IntArray, int]]) -> AnyIntArray:
    bound = sum(int(units.max(initial=0)) * abs(price) for units, price in parts)
    if bound < 2**61:
        total = np.zeros(parts[0][0].shape[0], dtype=np.int64)
        for units, price in parts:
            total = total + units * price
        return total
    total_o = np.zeros(parts[0][0].shape[0], dtype=object)
    for units, price in parts:
        total_o = total_o + units.astype(object) * price
    return total_o


def tier_units(tiers: Tiers, qty: IntArray) -> list[tuple[IntArray, int]]:
    """Graduated tiers: the quantity falling in each band, with the band's price."""
    parts = []
    lower = 0
    for band in tiers.bands:
        upper = band.upto
        inside = np.maximum(qty - lower, 0)
        if upper is not None:
            inside = np.minimum(inside, upper - lower)
            lower = upper
        parts.append((inside.astype(np.int64), band.price))
    return parts


def volume_band(tiers: Tiers, qty: IntArray) -> IntArray:
    """The band reached: « jusqu'à » includes its bound, « à partir de » starts at its bound."""
    ends = np.asarray([b.upto for b in tiers.bands[:-1]], dtype=np.int64)
    if tiers.lower_bounds:
        return np.searchsorted(ends, qty, side="right").astype(np.int64)
    return np.searchsorted(ends, qty, side="left").astype(np.int64)


def grid_positions(grid: Grid, measures: Mapping[str, IntArray]) -> list[IntArray]:
    return [
        band_index(bounds, measures[name], grid.upto)
        for name, bounds in zip(grid.measures, grid.bounds, strict=True)
    ]


def component_amounts(
    component: Component,
    qty: IntArray,
    kind: npt.NDArray[np.int8],
    measures: Mapping[str, IntArray],
) -> IntArray:
    """Amount in cents of one component for every consumer (half up to the cent)."""
    n = qty.shape[0]
    if isinstance(component, UnitPrice):
        prices = by_kind(component.price, component.by_kind, kind)
        return mul_div_half_up(qty, prices, PRICE_DIVISOR)
    if isinstance(component, FlatFee):
        return by_kind(component.amount_cents, component.by_kind, kind)
    if isinstance(component, Tiers):
        if component.mode is TierMode.GRADUATED:
            numerator = _sum_products(tier_units(component, qty))
            return mul_div_half_up(numerator, 1, PRICE_DIVISOR)
        prices = np.asarray([b.price for b in component.bands], dtype=np.int64)
        return mul_div_half_up(qty, prices[volume_band(component, qty)], PRICE_DIVISOR)
    if isinstance(component, Grid):
        positions = grid_positions(component, measures)
        if component.table is not None:
            table = np.asarray(component.table, dtype=np.int64)
            return table[tuple(positions)]
        assert component.base_cents is not None
        coefs = np.asarray(component.coefficients, dtype=np.int64)
        position = np.sum(positions, axis=0) if positions else np.zeros(n, dtype=np.int64)
        return mul_div_half_up(coefs[position], component.base_cents, COEF_SCALE)
    if isinstance(component, Quota):
        included = by_kind(component.included, component.included_by_kind, kind)
        over = np.maximum(qty - included, 0)
        return as_exact(component.fee_cents + mul_div_half_up(over, component.price, PRICE_DIVISOR))
    raise TypeError(f"unknown component {component!r}")
