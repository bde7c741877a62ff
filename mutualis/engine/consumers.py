"""Who consumes and who pays: expanding subscriptions by scope, pro rata temporis by days."""

from __future__ import annotations

from datetime import date

import polars as pl

from mutualis.engine.model import InputError, Scope

CONSUMER_COLUMNS = ["consumer", "subscriber", "days", "rebill"]


def days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def consumers(
    service: str,
    year: int,
    members: pl.DataFrame,
    subscriptions: pl.DataFrame | None,
    users: pl.DataFrame,
    prorata: bool,
) -> pl.DataFrame:
    """One row per consumer of ``service``: its index, the subscriber's (the payer), days.

    ``members`` has columns idx, id, kind, parent_id, epci_id; ``users`` (idx) lists the members
    with usage, who subscribe for themselves the whole year when no subscriptions are given.
    A member covered twice is counted once: its own subscription first, otherwise the
    subscriber with the smallest id.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    if subscriptions is None:
        rows = users.select(
            pl.col("idx").alias("consumer"),
            pl.col("idx").alias("subscriber"),
            pl.lit(days_in_year(year), dtype=pl.Int64).alias("days"),
            pl.lit(None, dtype=pl.String).alias("rebill"),
        )
        return rows.sort("consumer")
    subs = subscriptions.filter(pl.col("service") == service)
    subs = subs.join(
        members.select(pl.col("id").alias("member_id"), pl.col("idx").alias("subscriber")),
        on="member_id",
        how="left",
    )
    unknown = subs.filter(pl.col("subscriber").is_null())
    if unknown.height:
        raise InputError(
            f"souscriptions : membre inconnu « {unknown['member_id'][0]} » ({service})"
        )
    start = pl.max_horizontal(pl.col("start").fill_null(first), pl.lit(first))
    end = pl.min_horizontal(pl.col("end").fill_null(last), pl.lit(last))
    days = ((end - start).dt.total_days() + 1).clip(lower_bound=0).cast(pl.Int64)
    if not prorata:
        days = pl.when(days > 0).then(days_in_year(year)).otherwise(0)
    subs = subs.with_columns(days.alias("days"))
    keep = ["subscriber", "days", "rebill"]
    own = subs.select(pl.col("subscriber").alias("consumer"), *keep)
    parts = [own]
    wide = subs.filter(pl.col("scope") != Scope.SELF.value)
    communes = members.filter(pl.col("kind") == "commune").select(
        pl.col("idx").alias("consumer"), pl.col("id").alias("commune_id"), "epci_id"
    )
    of_epci = wide.join(communes, left_on="member_id", right_on="epci_id")
    parts.append(of_epci.select("consumer", *keep))
    with_est = subs.filter(pl.col("scope") == Scope.WITH_ESTABLISHMENTS.value)
    if with_est.height:
        holders = pl.concat(
            [
                with_est.select(pl.col("member_id").alias("holder"), "establishments", *keep),
                of_epci.filter(pl.col("scope") == Scope.WITH_ESTABLISHMENTS.value).select(
                    pl.col("commune_id").alias("holder"), "establishments", *keep
                ),
            ]
        )
        establishments = members.filter(pl.col("kind") == "establishment").select(
            pl.col("idx").alias("consumer"), pl.col("id").alias("est_id"), "parent_id"
        )
        chosen = holders.join(establishments, left_on="holder", right_on="parent_id").filter(
            (pl.col("establishments").list.len() == 0)
            | pl.col("establishments").list.contains(pl.col("est_id"))
        )
        parts.append(chosen.select("consumer", *keep))
    rows = pl.concat(parts).filter(pl.col("days") > 0)
    rows = (
        rows.with_columns((pl.col("consumer") != pl.col("subscriber")).alias("_not_own"))
        .sort("consumer", "_not_own", "subscriber")
        .unique(subset="consumer", keep="first", maintain_order=True)
        .drop("_not_own")
    )
    return rows.select(CONSUMER_COLUMNS)
