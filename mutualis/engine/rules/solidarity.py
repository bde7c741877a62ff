"""``[solidarity]``: a coefficient by band of a measure (population or an indicator) that
multiplies the amount (priced tariff) or the key (cost sharing)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mutualis.engine.money import COEF_SCALE, IntArray, format_coef
from mutualis.engine.rules.base import MEASURE_LABELS, MemberArrays, measure_scale, measure_values

if TYPE_CHECKING:
    from mutualis.engine.toml_node import Node


@dataclass(frozen=True, slots=True)
class SolidarityBand:
    below: int | None
    coefficient: int


@dataclass(frozen=True, slots=True)
class Solidarity:
    measure: str
    """``population`` or the name of a member indicator."""
    bands: tuple[SolidarityBand, ...]

    @classmethod
    def parse(cls, node: Node) -> Solidarity:
        measure = node.text("measure", "population")
        scale = measure_scale(measure)
        bands = []
        band_nodes = node.tables("bands")
        if not band_nodes:
            raise node.fail("bands", "au moins une tranche est attendue")
        previous: int | None = None
        for i, band in enumerate(band_nodes):
            below = band.scaled("below", scale, positive=False) if band.has("below") else None
            if below is None and i != len(band_nodes) - 1:
                raise band.fail("below", "obligatoire sauf pour la dernière tranche")
            if below is not None and previous is not None and below <= previous:
                raise band.fail("below", "les bornes doivent être croissantes")
            previous = below
            bands.append(SolidarityBand(below, band.scaled("coefficient", COEF_SCALE)))
            band.finish()
        if bands[-1].below is not None:
            bands.append(SolidarityBand(None, COEF_SCALE))
        node.finish()
        return cls(measure, tuple(bands))

    def explain(self, row: Mapping[str, Any]) -> str:
        """``péréquation (habitants) × 0,5``."""
        label = MEASURE_LABELS.get(self.measure, self.measure)
        return f"péréquation ({label}) × {format_coef(int(row['coefficient']))}"


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
