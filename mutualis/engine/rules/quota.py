"""``type = "quota"``: a fee ``fee`` with ``included`` units, then ``price`` per unit beyond
(included units of their own for a member kind with ``included_by_kind``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt

from mutualis.engine.money import (
    PRICE_SCALE,
    QTY_SCALE,
    IntArray,
    as_exact,
    format_eur,
    format_price,
    format_qty,
    mul_div_half_up,
)
from mutualis.engine.rules.base import PRICE_DIVISOR, ComponentRule, by_kind, quantity_text

if TYPE_CHECKING:
    from mutualis.engine.toml_node import Node


@dataclass(frozen=True, slots=True)
class Quota(ComponentRule):
    TYPE: ClassVar[str] = "quota"
    included: int
    """Included quantity in milli-units."""
    price: int
    fee_cents: int = 0
    included_by_kind: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def parse(cls, node: Node) -> Quota:
        return cls(
            included=node.scaled("included", QTY_SCALE),
            price=node.scaled("price", PRICE_SCALE),
            fee_cents=node.scaled("fee", 100) if node.has("fee") else 0,
            included_by_kind=node.by_kind("included_by_kind", QTY_SCALE),
        )

    def amounts(
        self, qty: IntArray, kind: npt.NDArray[np.int8], measures: Mapping[str, IntArray]
    ) -> IntArray:
        included = by_kind(self.included, self.included_by_kind, kind)
        over = np.maximum(qty - included, 0)
        return as_exact(self.fee_cents + mul_div_half_up(over, self.price, PRICE_DIVISOR))

    def explain(self, unit: str, row: Mapping[str, Any], cents: int) -> str:
        qty = int(row["quantity"])
        included = self.included_by_kind.get(row["kind"], self.included)
        over = max(qty - included, 0)
        fee = f"forfait {format_eur(self.fee_cents)} + " if self.fee_cents else ""
        return (
            f"{quantity_text(unit, qty)} dont {format_qty(included)} inclus : {fee}"
            f"{format_qty(over)} × {format_price(self.price)} = {format_eur(cents)}"
        )
