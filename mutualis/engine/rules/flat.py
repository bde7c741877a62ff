"""``type = "flat"``: a flat fee per member (or per member kind with ``by_kind``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt

from mutualis.engine.model import KIND_LABELS
from mutualis.engine.money import IntArray, format_eur
from mutualis.engine.rules.base import ComponentRule, by_kind

if TYPE_CHECKING:
    from mutualis.engine.toml_node import Node


@dataclass(frozen=True, slots=True)
class FlatFee(ComponentRule):
    TYPE: ClassVar[str] = "flat"
    amount_cents: int
    by_kind: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def parse(cls, node: Node) -> FlatFee:
        return cls(amount_cents=node.scaled("amount", 100), by_kind=node.by_kind("by_kind", 100))

    def amounts(
        self, qty: IntArray, kind: npt.NDArray[np.int8], measures: Mapping[str, IntArray]
    ) -> IntArray:
        return by_kind(self.amount_cents, self.by_kind, kind)

    def explain(self, unit: str, row: Mapping[str, Any], cents: int) -> str:
        kind = row["kind"]
        which = f" {KIND_LABELS[kind]}" if kind in self.by_kind else ""
        return f"forfait{which} = {format_eur(cents)}"

    def measures_read(self) -> tuple[str, ...]:
        return ()

    def reads_quantity(self) -> bool:
        return False
