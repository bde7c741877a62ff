"""Re-billing: an EPCI that pays for its communes passes the bill on by a key of its choice.

Only the lines of the communes and establishments covered by the EPCI's subscription are
re-billed (the EPCI's own line stays with it). An establishment's line goes to its parent
commune when that commune is covered by the same EPCI; otherwise it stays with the EPCI.
Exempt communes are not re-billed. Keys: ``usage`` (each commune pays its own lines and its
establishments'), ``population`` (the total is split by population, largest remainder; equal
shares when no commune has a population), ``equal`` (equal shares, largest remainder by id).

With ``rebill_own`` (:func:`own_rebill_lines`), the EPCI re-bills its own participation too:
its own line and those of the establishments attached to it, split among the communes it pays
for (not exempt) by population or in equal shares, to the cent. Those are separate lines, so
that each commune reads what comes from the others' bills and what from the EPCI's own.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from mutualis.engine.model import ChargeRule, InputError, RebillKey
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
    # Rows by (EPCI, target), stable: an EPCI's key is the one of its first line.
    order = np.lexsort((target[rows], payer[rows]))
    epci_of, target_of = payer[rows][order], target[rows][order]
    amount_of = np.asarray(amount, dtype=np.int64)[rows][order]
    new_epci = np.r_[True, epci_of[1:] != epci_of[:-1]]
    epci_starts = np.flatnonzero(new_epci)
    epci_total = np.add.reduceat(amount_of, epci_starts)
    epci_key_row = rows[np.minimum.reduceat(order, epci_starts)]
    pair_starts = np.flatnonzero(new_epci | np.r_[True, target_of[1:] != target_of[:-1]])
    own = np.add.reduceat(amount_of, pair_starts)
    group = (np.cumsum(new_epci) - 1)[pair_starts]
    epci, tgt = epci_of[pair_starts], target_of[pair_starts]
    kept = ~exempt_member[tgt]
    if not kept.any():
        return pl.DataFrame()
    epci, tgt, own, group = epci[kept], tgt[kept], own[kept], group[kept]
    total = epci_total[group]
    key = rebill.gather(epci_key_row[group])
    population = m.population[tgt]
    starts = np.flatnonzero(np.r_[True, epci[1:] != epci[:-1]])
    sizes = np.diff(np.r_[starts, epci.shape[0]])
    has_pop = np.repeat(np.add.reduceat(population, starts) > 0, sizes)
    by_population = (key == RebillKey.POPULATION.value).to_numpy() & has_pop
    weights = np.where(by_population, population, 1).astype(np.int64)
    split = grouped_largest_remainder(total, weights, epci, tgt)
    shares = np.where((key == RebillKey.USAGE.value).to_numpy(), own, split)
    n = tgt.shape[0]
    ids = m.frame["id"]
    detail = pl.concat_str(
        [
            pl.lit(key),
            pl.lit(pl.Series(total, dtype=pl.Int64)).cast(pl.String),
            pl.lit(pl.Series(np.repeat(sizes, sizes), dtype=pl.Int64)).cast(pl.String),
        ],
        separator=":",
    )
    return pl.DataFrame(
        {
            "service": pl.Series([tariff.service], dtype=pl.String).new_from_index(0, n),
            "year": pl.Series([tariff.year], dtype=pl.Int32).new_from_index(0, n),
            "member_id": ids.gather(tgt),
            "member_name": m.frame["name"].gather(tgt),
            "kind": pl.Series(["commune"], dtype=pl.String).new_from_index(0, n),
            "payer_id": ids.gather(tgt),
            "issuer_id": ids.gather(epci),
            "issuer_name": m.frame["name"].gather(epci),
            "rule": pl.Series([ChargeRule.REBILLING.value], dtype=pl.String).new_from_index(0, n),
            "population": population,
            "detail": pl.select(detail.alias("detail")).to_series(),
            "amount_cents": shares.astype(np.int64),
        }
    )


def own_rebill_lines(
    tariff: Tariff,
    m: MemberArrays,
    consumer: IntArray,
    payer: IntArray,
    rebill_own: pl.Series,
    amount: IntArray,
    exempt: IntArray,
) -> pl.DataFrame:
    """The EPCI's own participation split among the communes it pays for (see module doc)."""
    if (rebill_own == RebillKey.USAGE.value).any():
        raise InputError(
            f"souscriptions : {tariff.service} : la participation propre d'un EPCI se refacture "
            "au prorata de la population (population) ou à parts égales (equal)"
        )
    keyed = rebill_own.is_not_null().to_numpy()
    by_population = (rebill_own == RebillKey.POPULATION.value).fill_null(False).to_numpy()
    kind = m.kind[consumer]
    parent = m.parent[consumer]
    own = keyed & (
        (consumer == payer) | ((kind == KIND_INDEX["establishment"]) & (parent == payer))
    )
    if not own.any():
        return pl.DataFrame()
    total_of = np.zeros(m.size, dtype=np.int64)
    np.add.at(total_of, payer[own], np.asarray(amount, dtype=np.int64)[own])
    rebills = np.zeros(m.size, dtype=np.bool_)
    rebills[payer[own]] = True
    population_key = np.zeros(m.size, dtype=np.bool_)
    population_key[payer[own & by_population]] = True
    targets = (kind == KIND_INDEX["commune"]) & (consumer != payer) & rebills[payer] & (exempt < 0)
    rows = np.flatnonzero(targets)
    if rows.size == 0:
        return pl.DataFrame()
    rows = rows[np.lexsort((consumer[rows], payer[rows]))]
    epci, tgt = payer[rows], consumer[rows]
    total = total_of[epci]
    population = m.population[tgt]
    starts = np.flatnonzero(np.r_[True, epci[1:] != epci[:-1]])
    sizes = np.diff(np.r_[starts, epci.shape[0]])
    has_pop = np.repeat(np.add.reduceat(population, starts) > 0, sizes)
    weights = np.where(population_key[epci] & has_pop, population, 1).astype(np.int64)
    shares = grouped_largest_remainder(total, weights, epci, tgt)
    n = tgt.shape[0]
    key = np.where(population_key[epci], RebillKey.POPULATION.value, RebillKey.EQUAL.value)
    detail = [
        f"{k}:{t}:{size}:own"
        for k, t, size in zip(
            key.tolist(), total.tolist(), np.repeat(sizes, sizes).tolist(), strict=True
        )
    ]
    ids, names = m.frame["id"], m.frame["name"]
    return pl.DataFrame(
        {
            "service": pl.Series([tariff.service], dtype=pl.String).new_from_index(0, n),
            "year": pl.Series([tariff.year], dtype=pl.Int32).new_from_index(0, n),
            "member_id": ids.gather(tgt),
            "member_name": names.gather(tgt),
            "kind": pl.Series(["commune"], dtype=pl.String).new_from_index(0, n),
            "payer_id": ids.gather(tgt),
            "issuer_id": ids.gather(epci),
            "issuer_name": names.gather(epci),
            "rule": pl.Series([ChargeRule.REBILLING.value], dtype=pl.String).new_from_index(0, n),
            "population": population,
            "detail": pl.Series(detail, dtype=pl.String),
            "amount_cents": shares.astype(np.int64),
        }
    )
