"""``type = "tiers"``: price bands, ``graduated`` (each band at its price) or ``volume`` (every
unit at the price of the band reached), written « jusqu'à » (``upto``) or « à partir de »
(``from``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt

from mutualis.engine.money import (
    PRICE_SCALE,
    QTY_SCALE,
    AnyIntArray,
    IntArray,
    format_eur,
    format_price,
    format_qty,
    mul_div_half_up,
)
from mutualis.engine.rules.base import PRICE_DIVISOR, BandCheck, ComponentRule, quantity_text

if TYPE_CHECKING:
    from mutualis.engine.toml_node import Node


class TierMode(StrEnum):
    GRADUATED = "graduated"
    VOLUME = "volume"


@dataclass(frozen=True, slots=True)
class Tier:
    upto: int | None
    """End of the band in milli-units (the next band's start when written with ``from``);
    None for an open last band."""
    price: int


@dataclass(frozen=True, slots=True)
class Tiers(ComponentRule):
    TYPE: ClassVar[str] = "tiers"
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

    @classmethod
    def parse(cls, node: Node) -> Tiers:
        mode = node.choice("mode", TierMode, TierMode.GRADUATED)
        band_nodes = node.tables("bands")
        if not band_nodes:
            raise node.fail("bands", "au moins une tranche ([[...bands]]) est attendue")
        if any(band.has("from") for band in band_nodes):
            return _tiers_from(mode, band_nodes)
        bands: list[Tier] = []
        previous = -1
        for i, band in enumerate(band_nodes):
            last = i == len(band_nodes) - 1
            upto = band.scaled("upto", QTY_SCALE) if band.has("upto") else None
            if upto is None and not last:
                raise band.fail("upto", "obligatoire sauf pour la dernière tranche")
            if upto is not None and upto <= previous:
                raise band.fail("upto", "les bornes doivent être croissantes")
            if upto is not None:
                previous = upto
            bands.append(Tier(upto=upto, price=band.scaled("price", PRICE_SCALE)))
            band.finish()
        return cls(mode=mode, bands=tuple(bands))

    def amounts(
        self, qty: IntArray, kind: npt.NDArray[np.int8], measures: Mapping[str, IntArray]
    ) -> IntArray:
        if self.mode is TierMode.GRADUATED:
            numerator = _sum_products(tier_units(self, qty))
            return mul_div_half_up(numerator, 1, PRICE_DIVISOR)
        prices = np.asarray([b.price for b in self.bands], dtype=np.int64)
        return mul_div_half_up(qty, prices[volume_band(self, qty)], PRICE_DIVISOR)

    def explain(self, unit: str, row: Mapping[str, Any], cents: int) -> str:
        qty = int(row["quantity"])
        total = format_eur(cents)
        if self.mode is TierMode.GRADUATED:
            arr = np.asarray([qty], dtype=np.int64)
            parts = [
                f"{format_qty(int(units[0]))} × {format_price(price)}"
                for units, price in tier_units(self, arr)
                if units[0] > 0
            ]
            detail = " + ".join(parts) if parts else "0"
            return f"{quantity_text(unit, qty)} par tranches : {detail} = {total}"
        reach = int(volume_band(self, np.asarray([qty], dtype=np.int64))[0])
        band = self.bands[reach]
        if self.lower_bounds:
            start = self.start if reach == 0 else self.bands[reach - 1].upto
            which = f"tranche dès {format_qty(start or 0)}"
        elif band.upto is not None:
            which = f"tranche jusqu'à {format_qty(band.upto)}"
        else:
            which = "dernière tranche"
        return f"{quantity_text(unit, qty)} × {format_price(band.price)} ({which}) = {total}"

    def band_checks(self) -> list[BandCheck]:
        return [("quantity", self.start or None, self.maximum)]


def _tiers_from(mode: TierMode, band_nodes: list[Node]) -> Tiers:
    """Bands written « à partir de »: every band has ``from``, the last one is open."""
    starts: list[int] = []
    prices: list[int] = []
    for band in band_nodes:
        if band.has("upto"):
            raise band.fail("upto", "une tranche s'écrit avec « from » ou « upto », pas les deux")
        start = band.scaled("from", QTY_SCALE)
        if starts and start <= starts[-1]:
            raise band.fail("from", "les bornes doivent être croissantes")
        starts.append(start)
        prices.append(band.scaled("price", PRICE_SCALE))
        band.finish()
    ends: list[int | None] = [*starts[1:], None]
    bands = tuple(Tier(upto=end, price=price) for end, price in zip(ends, prices, strict=True))
    return Tiers(mode=mode, bands=bands, lower_bounds=True, start=starts[0])


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
