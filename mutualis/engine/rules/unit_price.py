"""``type = "unit_price"``: units × price (a price of its own for a member kind with
``by_kind``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt

from mutualis.engine.money import PRICE_SCALE, IntArray, format_eur, format_price, mul_div_half_up
from mutualis.engine.rules.base import PRICE_DIVISOR, ComponentRule, by_kind, quantity_text

if TYPE_CHECKING:
    from mutualis.engine.toml_node import Node


@dataclass(frozen=True, slots=True)
class UnitPrice(ComponentRule):
    TYPE: ClassVar[str] = "unit_price"
    price: int
    """Price of one unit in PRICE_SCALE units (1 € = 1 000 000)."""
    by_kind: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def parse(cls, node: Node) -> UnitPrice:
        return cls(
            price=node.scaled("price", PRICE_SCALE), by_kind=node.by_kind("by_kind", PRICE_SCALE)
        )

    def amounts(
        self, qty: IntArray, kind: npt.NDArray[np.int8], measures: Mapping[str, IntArray]
    ) -> IntArray:
        prices = by_kind(self.price, self.by_kind, kind)
        return mul_div_half_up(qty, prices, PRICE_DIVISOR)

    def explain(self, unit: str, row: Mapping[str, Any], cents: int) -> str:
        price = format_price(self.by_kind.get(row["kind"], self.price))
        return f"{quantity_text(unit, int(row['quantity']))} × {price} = {format_eur(cents)}"
