"""Reading a year of usage from monthly records (stock vs flow units).

A record is (member, service, year, month, quantity in milli-units). Several records of the same
member, service and month add up (two NAS, two schools...). The year is then read as:

- ``last``: the total of the last month with records (stock units: GB stored, pupils);
- ``mean``: the mean of the monthly totals over the months with records, half up to 0.001;
- ``max``: the largest monthly total;
- ``sum``: the total of the year (flow units: certificates issued, days worked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from mutualis.engine.money import IntArray
from mutualis.engine.tariff import YearReading

KEY = "key"
"""``service position × members + member index``: one integer per (service, member)."""
READINGS = [YearReading.LAST, YearReading.MEAN, YearReading.MAX, YearReading.SUM]


def service_position(services: Sequence[str]) -> pl.Expr:
    """Position of each row's service in ``services`` (Int64), null for another service."""
    enum = pl.Enum(pl.Series(services, dtype=pl.String))
    return pl.col("service").cast(pl.String).cast(enum, strict=False).to_physical().cast(pl.Int64)


@dataclass(frozen=True)
class YearUsage:
    """The quantity of the year of every (service, member) with records, sorted by key."""

    size: int
    key: IntArray
    quantity: IntArray
    offsets: IntArray
    """Rows of service ``s`` are ``offsets[s]:offsets[s + 1]``."""
    unknown: dict[int, str]
    """Service position → the first usage member id that is not a member."""

    def quantities(self, service: int) -> IntArray:
        """Quantity of every member (0 without records) for the service at this position."""
        out = np.zeros(self.size, dtype=np.int64)
        lo, hi = int(self.offsets[service]), int(self.offsets[service + 1])
        out[self.key[lo:hi] - service * self.size] = self.quantity[lo:hi]
        return out


def _aggregate(frame: pl.LazyFrame, readings: set[YearReading]) -> pl.LazyFrame:
    """Per key: what the ``readings`` need (and the months and rows, to find duplicates)."""
    quantity = pl.col("quantity")
    aggs = []
    if readings & {YearReading.SUM, YearReading.MEAN}:
        aggs.append(quantity.sum().alias("sum"))
    if YearReading.MAX in readings:
        aggs.append(quantity.max().alias("max"))
    if YearReading.LAST in readings:
        aggs.append(quantity.sort_by("month").last().alias("last"))
    if readings - {YearReading.SUM}:
        aggs.append(pl.col("month").n_unique().cast(pl.Int64).alias("months"))
        aggs.append(pl.len().cast(pl.Int64).alias("rows"))
    return frame.group_by(KEY).agg(aggs)


def read_year(
    usage: pl.DataFrame,
    member: pl.Series,
    size: int,
    year: int,
    services: Sequence[str],
    readings: Sequence[YearReading],
) -> YearUsage:
    """The year's quantity (Int64 milli-units) of each service of ``services`` and member.

    ``member`` is the member index of each usage row (null: not a member), ``size`` the number
    of members. The work is one group-by on an integer key over all services at once; only the
    (service, member) pairs with several records in a month go through a monthly group-by.
    """
    rows = (
        usage.lazy()
        .select(
            service_position(services).alias("service"),
            pl.lit(member).cast(pl.Int64).alias("member"),
            "member_id",
            "year",
            "month",
            "quantity",
        )
        .filter((pl.col("year") == year) & pl.col("service").is_not_null())
    )
    unknown_q = (
        rows.filter(pl.col("member").is_null()).group_by("service").agg(pl.col("member_id").first())
    )
    frame = rows.filter(pl.col("member").is_not_null()).select(
        (pl.col("service") * size + pl.col("member")).alias(KEY), "month", "quantity"
    )
    needed = set(readings)
    queries = [_aggregate(frame, needed)]
    if member.null_count():
        queries.append(unknown_q)
    grouped, *unknown = pl.collect_all(queries)
    duplicated = grouped.filter(pl.col("rows") != pl.col("months")) if "rows" in grouped else None
    if duplicated is not None and duplicated.height:
        monthly = (
            frame.join(duplicated.lazy().select(KEY), on=KEY, how="semi")
            .group_by([KEY, "month"])
            .agg(pl.col("quantity").sum())
        )
        fixed = _aggregate(monthly, needed).collect()
        grouped = pl.concat([grouped.join(duplicated.select(KEY), on=KEY, how="anti"), fixed])
    grouped = grouped.sort(KEY)
    key = grouped[KEY].to_numpy()
    reading = np.asarray([READINGS.index(r) for r in readings], dtype=np.int64)
    per_row = reading[key // size] if size else np.zeros(0, dtype=np.int64)
    zeros = np.zeros(key.shape[0], dtype=np.int64)

    def column(name: str) -> IntArray:
        return grouped[name].to_numpy() if name in grouped else zeros

    total, months = column("sum"), column("months")
    mean = (2 * total + months) // np.maximum(2 * months, 1)
    choices = [column("last"), mean, column("max"), total]
    quantity = np.choose(per_row, choices) if key.size else zeros
    bounds = np.arange(len(services) + 1, dtype=np.int64) * size
    return YearUsage(
        size,
        key.astype(np.int64),
        quantity.astype(np.int64),
        np.searchsorted(key, bounds).astype(np.int64),
        {int(s): str(m) for found in unknown for s, m in found.iter_rows()},
    )
