"""``type = "grid"``: an amount read by the band of each measure (quantity, population,
establishments or an indicator), in a ``table`` or as ``base × coefficients[position]``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt

from mutualis.engine.money import (
    COEF_SCALE,
    IntArray,
    format_coef,
    format_eur,
    format_scaled,
    mul_div_half_up,
)
from mutualis.engine.rules.base import (
    MEASURE_LABELS,
    BandCheck,
    ComponentRule,
    band_index,
    measure_scale,
)

if TYPE_CHECKING:
    from mutualis.engine.toml_node import Node


@dataclass(frozen=True, slots=True)
class Grid(ComponentRule):
    TYPE: ClassVar[str] = "grid"
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

    @classmethod
    def parse(cls, node: Node) -> Grid:
        measures = node.list_of("measures")
        if not all(isinstance(m, str) and m for m in measures):
            raise node.fail("measures", "liste de noms de mesures attendue")
        if node.has("bounds") == node.has("upto"):
            raise node.fail(
                "bounds", "il faut soit « bounds » (bornes basses), soit « upto » (bornes hautes)"
            )
        upto = node.has("upto")
        key = "upto" if upto else "bounds"
        raw_bounds = node.list_of(key)
        if len(raw_bounds) != len(measures) or not all(isinstance(b, list) for b in raw_bounds):
            raise node.fail(key, f"une liste de bornes par mesure ({len(measures)}) attendue")
        bounds: list[tuple[int, ...]] = []
        which = "hautes" if upto else "basses"
        for m, (measure, values) in enumerate(zip(measures, raw_bounds, strict=True)):
            scaled = tuple(
                node.convert(f"{key}[{m + 1}][{j + 1}]", v, measure_scale(measure))
                for j, v in enumerate(values)
            )
            if not scaled or list(scaled) != sorted(set(scaled)):
                raise node.fail(
                    f"{key}[{m + 1}]", f"bornes {which} strictement croissantes attendues"
                )
            bounds.append(scaled)
        shape = [len(b) for b in bounds]
        if node.has("table") == node.has("base"):
            raise node.fail("table", "il faut soit « table », soit « base » et « coefficients »")
        if node.has("table"):

            def read(value: Any, depth: int, key: str) -> Any:
                if depth == len(shape):
                    return node.convert(key, value, 100)
                if not isinstance(value, list) or len(value) != shape[depth]:
                    raise node.fail(key, f"{shape[depth]} valeurs attendues à ce niveau")
                return tuple(read(v, depth + 1, f"{key}[{i + 1}]") for i, v in enumerate(value))

            table = read(node.raw("table"), 0, "table")
            return cls(tuple(measures), tuple(bounds), table=table, upto=upto)
        base = node.scaled("base", 100)
        coefficients = tuple(
            node.convert(f"coefficients[{i + 1}]", v, COEF_SCALE)
            for i, v in enumerate(node.list_of("coefficients"))
        )
        needed = sum(n - 1 for n in shape) + 1
        if len(coefficients) < needed:
            raise node.fail("coefficients", f"{needed} coefficients attendus (un par position)")
        return cls(
            tuple(measures), tuple(bounds), base_cents=base, coefficients=coefficients, upto=upto
        )

    def amounts(
        self, qty: IntArray, kind: npt.NDArray[np.int8], measures: Mapping[str, IntArray]
    ) -> IntArray:
        n = qty.shape[0]
        positions = grid_positions(self, measures)
        if self.table is not None:
            table = np.asarray(self.table, dtype=np.int64)
            return table[tuple(positions)]
        assert self.base_cents is not None
        coefs = np.asarray(self.coefficients, dtype=np.int64)
        position = np.sum(positions, axis=0) if positions else np.zeros(n, dtype=np.int64)
        return mul_div_half_up(coefs[position], self.base_cents, COEF_SCALE)

    def explain(self, unit: str, row: Mapping[str, Any], cents: int) -> str:
        qty = int(row["quantity"])
        total = format_eur(cents)
        parts = []
        positions = []
        for name, bounds in zip(self.measures, self.bounds, strict=True):
            value = qty if name == "quantity" else int(row[f"measure_{name}"] or 0)
            if self.upto:
                pos = min(sum(1 for b in bounds if b < value), len(bounds) - 1)
            else:
                pos = max(sum(1 for b in bounds if b <= value) - 1, 0)
            positions.append(pos)
            scale = measure_scale(name)
            label = unit if name == "quantity" else MEASURE_LABELS.get(name, name)
            how = "jusqu'à" if self.upto else "dès"
            parts.append(
                f"{format_scaled(value, scale)} {label} → tranche {pos + 1} "
                f"({how} {format_scaled(bounds[pos], scale)})"
            )
        grid = ", ".join(parts)
        if self.table is not None:
            return f"grille : {grid} = {total}"
        assert self.base_cents is not None
        coef = self.coefficients[sum(positions)]
        return f"grille : {grid} : {format_eur(self.base_cents)} × {format_coef(coef)} = {total}"

    def measures_read(self) -> tuple[str, ...]:
        return self.measures

    def band_checks(self) -> list[BandCheck]:
        checks: list[BandCheck] = []
        for name, bounds in zip(self.measures, self.bounds, strict=True):
            low, high = (None, bounds[-1]) if self.upto else (bounds[0], None)
            checks.append((name, low, high))
        return checks


def grid_positions(grid: Grid, measures: Mapping[str, IntArray]) -> list[IntArray]:
    return [
        band_index(bounds, measures[name], grid.upto)
        for name, bounds in zip(grid.measures, grid.bounds, strict=True)
    ]
