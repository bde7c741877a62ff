"""Reading a year of usage from monthly records (stock vs flow units).

A record is (member, service, year, month, quantity in milli-units). Several records of the same
member, service and month add up (two NAS, two schools...). The year is then read as:

- ``last``: the total of the last month with records (stock units: GB stored, pupils);
- ``mean``: the mean of the monthly totals over the months with records, half up to 0.001;
- ``max``: the largest monthly total;
- ``sum``: the total of the year (flow units: certificates issued, days worked).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from mutualis.engine.tariff import YearReading

KEYS = ["service", "member_id"]


def _aggregate(frame: pl.LazyFrame) -> pl.LazyFrame:
    return frame.group_by(KEYS).agg(
        pl.col("quantity").sum().alias("sum"),
        pl.col("quantity").max().alias("max"),
        pl.col("month").n_unique().cast(pl.Int64).alias("months"),
        pl.len().cast(pl.Int64).alias("rows"),
        pl.col("quantity").sort_by("month").last().alias("last"),
    )


def read_year(usage: pl.DataFrame, year: int, readings: Mapping[str, YearReading]) -> pl.DataFrame:
    """One row per (service, member_id) with the year's ``quantity`` (Int64 milli-units), unsorted.

    ``readings`` gives the reading of each service to compute; other services are ignored.
    The work is one group-by over all services at once; only the members with several
    records in a month go through a second, monthly group-by.
    """
    services = sorted(readings)
    frame = usage.lazy().filter((pl.col("year") == year) & pl.col("service").is_in(services))
    grouped = _aggregate(frame).collect()
    duplicated = grouped.filter(pl.col("rows") != pl.col("months"))
    if duplicated.height:
        monthly = (
            frame.join(duplicated.lazy().select(KEYS), on=KEYS, how="semi")
            .group_by([*KEYS, "month"])
            .agg(pl.col("quantity").sum())
        )
        fixed = _aggregate(monthly).collect()
        grouped = pl.concat([grouped.join(duplicated.select(KEYS), on=KEYS, how="anti"), fixed])
    reading = pl.col("service").replace_strict(
        {s: str(readings[s]) for s in services}, return_dtype=pl.String
    )
    mean = (2 * pl.col("sum") + pl.col("months")) // (2 * pl.col("months"))
    quantity = (
        pl.when(reading == "sum")
        .then(pl.col("sum"))
        .when(reading == "max")
        .then(pl.col("max"))
        .when(reading == "mean")
        .then(mean)
        .otherwise(pl.col("last"))
    )
    return grouped.select(*KEYS, quantity.cast(pl.Int64).alias("quantity"))
