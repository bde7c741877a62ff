"""Who consumes and who pays: expanding subscriptions by scope, pro rata temporis by days.

All the services of a run are expanded at once, on member indices (see
:class:`mutualis.engine.inputs.Inputs`): one join for the communes of every EPCI subscription,
one for the establishments, one sort to keep a single payer per (service, consumer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from mutualis.engine.model import Scope
from mutualis.engine.money import IntArray
from mutualis.engine.rules import KIND_INDEX, MemberArrays
from mutualis.engine.tariff import Tariff
from mutualis.engine.usage import service_position

# Where a candidate (consumer, payer) row comes from; with the subscription row, it orders the
# candidates of a consumer that tie on (own subscription first, subscriber's index).
PART_OWN, PART_COMMUNE, PART_ESTABLISHMENT, PART_COMMUNE_ESTABLISHMENT = 0, 1, 2, 3


def days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


@dataclass(frozen=True)
class Consumers:
    """One row per consumer of each service: its index, the subscriber's (the payer), days."""

    consumer: IntArray
    subscriber: IntArray
    days: IntArray
    rebill: pl.Series | None
    """The re-billing key of the subscription (null: none; None: none for every consumer)."""
    rebill_own: pl.Series | None
    """The key by which the subscriber re-bills its own participation (null or None: none)."""


def own_consumers(consumer: IntArray, year: int) -> Consumers:
    """Without subscriptions: each member with usage subscribes for itself the whole year."""
    return Consumers(
        consumer,
        consumer,
        np.full(consumer.shape[0], days_in_year(year), dtype=np.int64),
        None,
        None,
    )


@dataclass(frozen=True)
class Coverage:
    """The consumers of every service of a run, sorted by (service position, consumer)."""

    size: int
    key: IntArray
    """``service position × members + consumer``."""
    subscriber: IntArray
    row: IntArray
    """The subscription row that covers the consumer."""
    offsets: IntArray
    days: IntArray
    """Days of each subscription row (for its service's year)."""
    rebill: pl.Series
    rebill_own: pl.Series
    unknown: dict[int, str]
    """Service position → the first subscriber id that is not a member."""

    def of(self, service: int) -> Consumers:
        lo, hi = int(self.offsets[service]), int(self.offsets[service + 1])
        row = self.row[lo:hi]
        return Consumers(
            self.key[lo:hi] - service * self.size,
            self.subscriber[lo:hi],
            self.days[row],
            self.rebill.gather(row),
            self.rebill_own.gather(row),
        )


def _tariff_table(tariffs: Sequence[Tariff]) -> pl.LazyFrame:
    years = [t.year for t in tariffs]
    return pl.LazyFrame(
        {
            "service": pl.Series(range(len(tariffs)), dtype=pl.Int64),
            "first": [date(y, 1, 1) for y in years],
            "last": [date(y, 12, 31) for y in years],
            "diy": pl.Series([days_in_year(y) for y in years], dtype=pl.Int64),
            "prorata": [t.prorata for t in tariffs],
        }
    )


def coverage(
    tariffs: Sequence[Tariff],
    m: MemberArrays,
    subscriptions: pl.DataFrame,
    subscriber: pl.Series,
) -> Coverage:
    """Expand the subscriptions of the services of ``tariffs`` (in that order) by scope.

    ``subscriber`` is the member index of each subscription row (null: not a member).
    A member covered twice is counted once: its own subscription first, otherwise the
    subscriber with the smallest id; then the first subscription row (own, communes of an EPCI,
    establishments of a subscriber, establishments of a covered commune, in that order).
    """
    n, n_rows = m.size, subscriptions.height
    if 8 * (n + 1) * (n_rows + 1) >= 2**62:
        raise OverflowError("souscriptions : trop de lignes")
    subs = subscriptions.lazy().select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("row"),
        service_position([t.service for t in tariffs]).alias("service"),
        pl.lit(subscriber).cast(pl.Int64).alias("subscriber"),
        "member_id",
        "scope",
        "start",
        "end",
        "establishments",
    )
    subs = subs.filter(pl.col("service").is_not_null())
    unknown_q = (
        subs.filter(pl.col("subscriber").is_null())
        .group_by("service")
        .agg(pl.col("member_id").first())
    )
    start = pl.max_horizontal(pl.col("start").fill_null(pl.col("first")), pl.col("first"))
    end = pl.min_horizontal(pl.col("end").fill_null(pl.col("last")), pl.col("last"))
    days = ((end - start).dt.total_days() + 1).clip(lower_bound=0).cast(pl.Int64)
    days = pl.when(pl.col("prorata") | (days <= 0)).then(days).otherwise(pl.col("diy"))
    valid = (
        subs.filter(pl.col("subscriber").is_not_null())
        .join(_tariff_table(tariffs), on="service", how="left")
        .with_columns(days.alias("days"))
        .filter(pl.col("days") > 0)
        .select("row", "service", "subscriber", "scope", "establishments", "days")
    )

    def candidates(frame: pl.LazyFrame, consumer: str, part: int | pl.Expr) -> pl.LazyFrame:
        not_own = (pl.col(consumer) != pl.col("subscriber")).cast(pl.Int64)
        rank = ((not_own * n + pl.col("subscriber")) * 4 + part) * n_rows + pl.col("row")
        return frame.select(
            (pl.col("service") * n + pl.col(consumer)).alias("key"), rank.alias("rank")
        )

    communes = np.flatnonzero((m.kind == KIND_INDEX["commune"]) & (m.epci >= 0))
    of_epci = valid.filter(pl.col("scope") != Scope.SELF.value).join(
        pl.LazyFrame({"consumer": communes, "epci": m.epci[communes]}),
        left_on="subscriber",
        right_on="epci",
    )
    with_est = Scope.WITH_ESTABLISHMENTS.value
    holders = pl.concat(
        [
            valid.filter(pl.col("scope") == with_est).with_columns(
                pl.col("subscriber").alias("holder"), pl.lit(PART_ESTABLISHMENT).alias("part")
            ),
            of_epci.filter(pl.col("scope") == with_est).select(
                "row",
                "service",
                "subscriber",
                "scope",
                "establishments",
                "days",
                pl.col("consumer").alias("holder"),
                pl.lit(PART_COMMUNE_ESTABLISHMENT).alias("part"),
            ),
        ]
    )
    establishments = np.flatnonzero((m.kind == KIND_INDEX["establishment"]) & (m.parent >= 0))
    chosen = holders.join(
        pl.LazyFrame(
            {
                "consumer": establishments,
                "parent": m.parent[establishments],
                "est_id": m.frame["id"].gather(establishments),
            }
        ),
        left_on="holder",
        right_on="parent",
    ).filter(
        (pl.col("establishments").list.len() == 0)
        | pl.col("establishments").list.contains(pl.col("est_id"))
    )
    everyone = pl.concat(
        [
            candidates(valid, "subscriber", PART_OWN),
            candidates(of_epci, "consumer", PART_COMMUNE),
            candidates(chosen, "consumer", pl.col("part")),
        ]
    )
    queries = [everyone, valid.select("row", "days")]
    if subscriber.null_count():
        queries.append(unknown_q)
    found, row_days, *unknown = pl.collect_all(queries)
    # The smallest rank of each key: sort the keys, then a minimum per run of equal keys.
    all_keys = found["key"].to_numpy()
    order = np.argsort(all_keys)
    sorted_keys = all_keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]][: all_keys.size])
    key = sorted_keys[starts].astype(np.int64)
    rank = np.minimum.reduceat(found["rank"].to_numpy()[order], starts) if key.size else key
    days_of_row = np.zeros(n_rows, dtype=np.int64)
    days_of_row[row_days["row"].to_numpy()] = row_days["days"].to_numpy()
    bounds = np.arange(len(tariffs) + 1, dtype=np.int64) * n
    return Coverage(
        size=n,
        key=key,
        subscriber=(rank // (4 * n_rows)) % n if n_rows else rank,
        row=rank % n_rows if n_rows else rank,
        offsets=np.searchsorted(key, bounds).astype(np.int64),
        days=days_of_row,
        rebill=subscriptions["rebill"],
        rebill_own=subscriptions["rebill_own"],
        unknown={int(s): str(i) for frame in unknown for s, i in frame.iter_rows()},
    )
