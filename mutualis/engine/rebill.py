"""Re-billing: an EPCI that pays for its communes passes the bill on by a key of its choice.

Only the lines of the communes and establishments covered by the EPCI's subscription are
re-billed (the EPCI's own line stays with it). An establishment's line goes to its parent
commune when that commune is covered by the same EPCI; otherwise it stays with the EPCI.
Exempt communes are not re-billed. Keys: ``usage`` (each commune pays its own lines and its
establishments'), ``population`` (the total is split by population, largest remainder; equal
shares when no commune has a population), ``equal`` (equal shares, largest remainder by id).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from mutualis.engine.model import RebillKey
from mutualis.engine.money import IntArray
from mutualis.engine.rules import KIND_INDEX, MemberArrays
from mutualis.engine.tariff import Tariff


def grouped_largest_remainder(
    totals: IntArray, weights: IntArray, groups: IntArray, order: IntArray
) -> IntArray:
    """Largest remainder within groups: row i gets its part of ``totals[i]`` (its group's).

    Rows must be sorted by group; ``order`` breaks ties. int64 is enough for the amounts and
    populations met here (products below 2**62 are checked).
    """
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    sizes = np.diff(np.r_[starts, groups.shape[0]])
    weight_sum = np.repeat(np.add.reduceat(weights, starts), sizes)
    if totals.size and int(totals.max()) * int(weights.max()) >= 2**62:
        raise OverflowError("refacturation : montants hors limites")
    product = totals * weights
    share = product // weight_sum
    rest = product % weight_sum
    left = totals - np.repeat(np.add.reduceat(share, starts), sizes)
    ranking = np.lexsort((order, -rest, groups))
    rank = np.empty_like(ranking)
    rank[ranking] = np.arange(ranking.shape[0]) - np.repeat(starts, sizes)
    return share + (rank < left).astype(np.int64)  # type: ignore[no-any-return]


def rebill_lines(
    tariff: Tariff,
    m: MemberArrays,
    consumer: IntArray,
    payer: IntArray,
    rebill: pl.Series,
    amount: IntArray,
    exempt: IntArray,
) -> pl.DataFrame:
    commune = KIND_INDEX["commune"]
    active = (rebill.is_not_null().to_numpy()) & (consumer != payer)
    payer_of = np.full(m.size, -1, dtype=np.int64)
    payer_of[consumer[active]] = payer[active]
    parent = m.parent[consumer]
    safe_parent = np.maximum(parent, 0)
    is_commune = m.kind[consumer] == commune
    via_parent = (parent >= 0) & (m.kind[safe_parent] == commune) & (payer_of[safe_parent] == payer)
    target = np.where(is_commune, consumer, np.where(via_parent, parent, -1))
    rows = np.flatnonzero(active & (target >= 0))
    if rows.size == 0:
        return pl.DataFrame()
    exempt_member = np.zeros(m.size, dtype=np.bool_)
    exempt_member[consumer[exempt >= 0]] = True
    keys = rebill.to_numpy()[rows].astype(str)
    frame = pl.DataFrame(
        {
            "epci": payer[rows],
            "key": keys,
            "target": target[rows],
            "amount": np.asarray(amount, dtype=np.int64)[rows],
        }
    )
    group_total = frame.group_by("epci").agg(
        pl.col("amount").sum().alias("total"), pl.col("key").first()
    )
    per_target = frame.group_by("epci", "target").agg(pl.col("amount").sum().alias("own"))
    kept = ~exempt_member[per_target["target"].to_numpy()]
    per_target = per_target.filter(pl.Series(kept)).join(group_total, on="epci")
    per_target = per_target.sort("epci", "target")
    if per_target.height == 0:
        return pl.DataFrame()
    epci = per_target["epci"].to_numpy()
    tgt = per_target["target"].to_numpy()
    key = per_target["key"].to_numpy().astype(str)
    own = per_target["own"].to_numpy()
    total = per_target["total"].to_numpy()
    population = m.population[tgt]
    pop_sum = pl.DataFrame({"epci": epci, "p": population}).group_by("epci", maintain_order=True)
    has_pop = np.repeat(
        pop_sum.agg(pl.col("p").sum())["p"].to_numpy() > 0,
        np.diff(np.r_[np.flatnonzero(np.r_[True, epci[1:] != epci[:-1]]), epci.shape[0]]),
    )
    by_population = (key == RebillKey.POPULATION.value) & has_pop
    weights = np.where(by_population, population, 1).astype(np.int64)
    split = grouped_largest_remainder(total, weights, epci, tgt)
    shares = np.where(key == RebillKey.USAGE.value, own, split)
    ids = m.frame["id"]
    names = m.frame["name"]
    count = pl.Series(epci).value_counts(sort=False)
    counts = dict(zip(count[:, 0].to_list(), count[:, 1].to_list(), strict=True))
    return pl.DataFrame(
        {
            "service": tariff.service,
            "year": tariff.year,
            "member_id": ids[tgt],
            "member_name": names[tgt],
            "kind": "commune",
            "payer_id": ids[tgt],
            "issuer_id": ids[epci],
            "rule": "refacturation",
            "population": population,
            "detail": [
                f"{k}:{t}:{counts[e]}"
                for k, t, e in zip(key.tolist(), total.tolist(), epci.tolist(), strict=True)
            ],
            "amount_cents": shares.astype(np.int64),
        }
    ).with_columns(pl.col("year").cast(pl.Int32))
