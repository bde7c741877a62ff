"""``[[exemptions]]``: members that owe nothing (by kind, population, parent commune's
population or by name); the first exemption that applies is cited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mutualis.engine.model import KIND_LABELS, MemberKind
from mutualis.engine.money import IntArray
from mutualis.engine.rules.base import KIND_INDEX, MemberArrays

if TYPE_CHECKING:
    from mutualis.engine.toml_node import Node

KINDS = {k.value for k in MemberKind}


@dataclass(frozen=True, slots=True)
class Exemption:
    label: str
    kinds: frozenset[str] = frozenset()
    population_below: int | None = None
    parent_population_below: int | None = None
    members: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, node: Node) -> Exemption:
        kinds = frozenset(node.raw("kinds")) if node.has("kinds") else frozenset()
        if not kinds <= KINDS:
            raise node.fail("kinds", f"natures inconnues : {', '.join(sorted(kinds - KINDS))}")
        members = (
            frozenset(str(m) for m in node.raw("members")) if node.has("members") else frozenset()
        )
        below = node.integer("population_below") if node.has("population_below") else None
        parent_below = (
            node.integer("parent_population_below") if node.has("parent_population_below") else None
        )
        if not (kinds or members or below is not None or parent_below is not None):
            raise node.fail("kinds", "une exonération doit avoir au moins une condition")
        parts = []
        if kinds:
            parts.append(" ou ".join(KIND_LABELS[k] for k in sorted(kinds)))
        if below is not None:
            parts.append(f"< {below} hab.")
        if parent_below is not None:
            parts.append(f"de commune < {parent_below} hab.")
        if members:
            parts.append("membre désigné")
        label = node.text("label", " ".join(parts))
        node.finish()
        return cls(label, kinds, below, parent_below, members)


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


def explain_exemption(exemptions: tuple[Exemption, ...], row: Mapping[str, Any]) -> str | None:
    """``exonération petites communes : oui`` (or ``: non``, naming them all); None without."""
    if not exemptions:
        return None
    if row["exemption"]:
        return f"exonération {row['exemption']} : oui"
    labels = " / ".join(e.label for e in exemptions)
    return f"exonération {labels} : non"
