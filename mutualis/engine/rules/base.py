"""What every rule file shares: the member arrays, member kinds, measures and bands, and the
interface of a tariff component (:class:`ComponentRule`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import numpy.typing as npt
import polars as pl

from mutualis.engine.money import CENTS_PER_PRICE, COEF_SCALE, QTY_SCALE, IntArray, format_qty

if TYPE_CHECKING:
    from mutualis.engine.toml_node import Node

BoolArray = npt.NDArray[np.bool_]
PRICE_DIVISOR = QTY_SCALE * CENTS_PER_PRICE
"""quantity (milli) × price (PRICE_SCALE) / PRICE_DIVISOR = cents."""

KIND_CODES = ("region", "departement", "epci", "commune", "establishment", "other")
KIND_INDEX = {k: i for i, k in enumerate(KIND_CODES)}
MEASURE_LABELS = {"population": "habitants", "establishments": "établissements"}


@dataclass(frozen=True, slots=True)
class MemberArrays:
    """The member table as arrays, sorted by id (the index is the tie-break order)."""

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
        return self.frame.height

    @property
    def ids(self) -> npt.NDArray[np.object_]:
        """The ids as Python strings (made on demand: error messages, lists of members)."""
        return self.frame["id"].to_numpy().astype(object)

    @property
    def names(self) -> npt.NDArray[np.object_]:
        return self.frame["name"].to_numpy().astype(object)


def by_kind(default: int, overrides: Mapping[str, int], kind: npt.NDArray[np.int8]) -> IntArray:
    table = np.full(len(KIND_CODES), default, dtype=np.int64)
    for name, value in overrides.items():
        table[KIND_INDEX[name]] = value
    return table[kind]


def measure_scale(measure: str) -> int:
    if measure == "quantity":
        return QTY_SCALE
    if measure in {"population", "establishments"}:
        return 1
    return COEF_SCALE


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


def quantity_text(unit: str, milli: int) -> str:
    """``125 élèves``."""
    return f"{format_qty(milli)} {unit}"


BandCheck = tuple[str, int | None, int | None]
"""(measure, lowest value allowed or None, highest value allowed or None)."""


class ComponentRule:
    """A kind of ``[[components]]`` of a priced tariff: one file of :mod:`mutualis.engine.rules`
    holds its dataclass, its TOML reader (:meth:`parse`), its computation (:meth:`amounts`) and
    its explanation (:meth:`explain`); the registry is ``rules.COMPONENTS``."""

    __slots__ = ()
    TYPE: ClassVar[str]
    """The ``type`` written in the tariff."""

    @classmethod
    def parse(cls, node: Node) -> Self:
        """The component of a ``[[components]]`` table (the caller checks unknown keys)."""
        raise NotImplementedError

    def amounts(
        self, qty: IntArray, kind: npt.NDArray[np.int8], measures: Mapping[str, IntArray]
    ) -> IntArray:
        """Amount in cents for every consumer (half up to the cent)."""
        raise NotImplementedError

    def explain(self, unit: str, row: Mapping[str, Any], cents: int) -> str:
        """The component's part of a line's explanation (``row``: the line, ``cents``: the
        component's amount on it)."""
        raise NotImplementedError

    def measures_read(self) -> tuple[str, ...]:
        """The measures the amount depends on (``quantity``, ``population``, an indicator…)."""
        return ("quantity",)

    def reads_quantity(self) -> bool:
        """Whether :meth:`explain` writes the line's quantity or a measure (the explanations
        of a run are written once per distinct row of what they read)."""
        return True

    def band_checks(self) -> list[BandCheck]:
        """The values that fall outside the voted bands (an error, never a band by default)."""
        return []
