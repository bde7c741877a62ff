"""The engine's inputs, validated and keyed by member index once (:meth:`Inputs.build`).

Members are sorted by id; a member's index is its rank in that order (the deterministic
tie-break everywhere). Usage and subscription rows get the index of their member here, so the
allocation joins, groups and sorts on integers, never on id strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from mutualis.engine.model import (
    InputError,
    Member,
    Subscription,
    UsageRecord,
    members_frame,
    subscriptions_frame,
    usage_frame,
)
from mutualis.engine.money import IntArray
from mutualis.engine.rules import KIND_CODES, MemberArrays


@dataclass(frozen=True)
class Inputs:
    """Members, subscriptions and usage, validated and put in columnar form once."""

    members: MemberArrays
    member_frame: pl.DataFrame
    subscriptions: pl.DataFrame | None
    usage: pl.DataFrame
    index: MemberIndex
    """Member id → index; usage rows are mapped when read (:func:`~.usage.read_year`), in the
    same pass as their service."""
    subscription_member: pl.Series | None
    """Index of the subscriber of each subscription row (UInt32), null when unknown."""

    @classmethod
    def build(
        cls,
        members: Sequence[Member] | pl.DataFrame,
        subscriptions: Sequence[Subscription] | pl.DataFrame | None,
        usage: Sequence[UsageRecord] | pl.DataFrame,
    ) -> Inputs:
        frame = members if isinstance(members, pl.DataFrame) else members_frame(members)
        subs = subscriptions
        if subs is not None and not isinstance(subs, pl.DataFrame):
            subs = subscriptions_frame(subs)
        use = usage if isinstance(usage, pl.DataFrame) else usage_frame(usage)
        if subs is not None and "rebill_own" not in subs.columns:  # a frame of an older snapshot
            subs = subs.with_columns(pl.lit(None, dtype=pl.String).alias("rebill_own"))
        if not frame["id"].is_sorted():
            frame = frame.sort("id")
        frame = frame.with_row_index("idx").with_columns(pl.col("idx").cast(pl.Int64))
        _check_members(frame)
        index = MemberIndex(frame["id"])
        parent, epci, *subscriber = index.of(
            [frame["parent_id"], frame["epci_id"]] + ([] if subs is None else [subs["member_id"]])
        )
        parents = _references(frame, "parent_id", parent)
        arrays = _member_arrays(frame, parents, _references(frame, "epci_id", epci))
        return cls(arrays, frame, subs, use, index, subscriber[0] if subscriber else None)


class MemberIndex:
    """Member id → index (its rank among the sorted ids), for whole columns at once."""

    def __init__(self, sorted_ids: pl.Series) -> None:
        self.ids = sorted_ids

    @cached_property
    def enum(self) -> pl.Enum | None:
        """An Enum whose categories are the sorted ids has the member index as physical value;
        ids are unique here (checked before), a null id falls back to a join. Built when first
        needed (a lookup table of every id)."""
        return pl.Enum(self.ids) if self.ids.null_count() == 0 else None

    def expr(self, column: str) -> pl.Expr | None:
        """Index of each value of ``column`` (Int64, null: not a member) as an expression, to be
        evaluated in a query (None without the Enum: use :meth:`of`)."""
        if self.enum is None:
            return None
        return pl.col(column).cast(pl.String).cast(self.enum, strict=False).to_physical()

    def of(self, columns: Sequence[pl.Series]) -> list[pl.Series]:
        """Index of each value (UInt32), null for null or an id that is not a member.

        Several columns are mapped in one pass (the Enum's lookup table is built once per call).
        """
        values = pl.concat([c.cast(pl.String).rename("id") for c in columns])
        if self.ids.null_count() == 0 and values.len() <= 4 * self.ids.len():
            # Few values (the members' own references, a dictionary of ids): a binary search
            # in the sorted ids, without building the Enum's lookup table.
            position = self.ids.search_sorted(values).clip(0, max(self.ids.len() - 1, 0))
            same = (self.ids.gather(position) == values).fill_null(False)
            found = position.zip_with(same, pl.Series([None], dtype=pl.UInt32))
        elif self.enum is not None:
            # The streaming engine casts in parallel (morsels), keeping the order of the rows.
            index = pl.col("id").cast(self.enum, strict=False).to_physical().cast(pl.UInt32)
            found = values.to_frame().lazy().select(index).collect(engine="streaming")["id"]
        else:
            ids = self.ids.to_frame("id").with_row_index("idx")
            found = values.to_frame().join(ids, on="id", how="left", maintain_order="left")["idx"]
            found = found.cast(pl.UInt32)
        found = found.rename("idx")
        ends = np.cumsum([len(c) for c in columns])
        return [found.slice(end - len(c), len(c)) for c, end in zip(columns, ends, strict=True)]


def _check_members(frame: pl.DataFrame) -> None:
    """``frame`` is sorted by id: a duplicate id is next to its twin."""
    ids = frame["id"]
    if ids.null_count():
        dup = frame.filter(pl.col("id").is_duplicated())["id"]
    else:
        dup = ids.slice(1).filter(ids.slice(1) == ids.slice(0, max(ids.len() - 1, 0)))
    if dup.len():
        raise InputError(f"membres : identifiant en double « {dup[0]} »")
    bad = frame.filter(~pl.col("kind").is_in(list(KIND_CODES)))
    if bad.height:
        raise InputError(f"membres : nature inconnue « {bad['kind'][0]} » ({bad['id'][0]})")


def _references(frame: pl.DataFrame, column: str, ref: pl.Series) -> IntArray:
    """Indices of the members named in ``column`` (parent_id, epci_id), -1 for none."""
    missing = frame[column].is_not_null() & ref.is_null()
    if missing.any():
        value = frame[column].filter(missing)[0]
        raise InputError(f"membres : {column} « {value} » n'est pas un membre")
    return ref.fill_null(-1).to_numpy().astype(np.int64)


def _member_arrays(frame: pl.DataFrame, parent: IntArray, epci: IntArray) -> MemberArrays:
    indicators = {}
    for column in frame.columns:
        if column.startswith("ind:"):
            values = frame[column]
            indicators[column[4:]] = (
                values.fill_null(0).to_numpy().astype(np.int64),
                values.is_not_null().to_numpy(),
            )
    kind_map = {k: i for i, k in enumerate(KIND_CODES)}
    return MemberArrays(
        frame=frame.select("id", "name", "kind"),
        kind=frame["kind"].replace_strict(kind_map, return_dtype=pl.Int8).to_numpy(),
        population=frame["population"].fill_null(0).to_numpy().astype(np.int64),
        parent=parent,
        epci=epci,
        indicators=indicators,
    )
