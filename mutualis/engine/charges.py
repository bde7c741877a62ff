"""Amounts of the consumer lines, in integer cents, from arrays of consumers.

Order of the steps for a priced tariff (``[[components]]``), per consumer:
components (each half up to the cent) → × solidarity coefficient → × days / days of the year →
floor, then cap → rounding (cent or euro) → exempt members owe 0.

For a cost-sharing tariff (``[cost_sharing]``): the net cost (cost − subsidies) is split by the
key ``units × weight of the kind × solidarity coefficient × days`` (exempt: key 0) with the
largest-remainder method; caps then floors are met by fixing the members concerned and
splitting the rest again among the others. Lines sum to the net cost to the cent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from mutualis.engine.model import InputError
from mutualis.engine.money import (
    COEF_SCALE,
    PRICE_SCALE,
    AnyIntArray,
    IntArray,
    half_up_div,
    largest_remainder,
    mul_div_half_up,
)
from mutualis.engine.rules import by_kind, component_amounts
from mutualis.engine.tariff import Tariff

LIMIT_NONE, LIMIT_FLOOR, LIMIT_CAP = 0, 1, 2
LIMIT_NAMES = ["", "plancher", "plafond"]
LimitArray = npt.NDArray[np.int8]


def caps(tariff: Tariff, population: IntArray) -> IntArray:
    """The cap of each consumer in cents, -1 for none (the smaller of the two kinds of cap)."""
    cap = np.full(population.shape[0], -1, dtype=np.int64)
    if tariff.limits.cap_cents is not None:
        cap[:] = tariff.limits.cap_cents
    if tariff.limits.cap_per_inhabitant is not None:
        per_inh = mul_div_half_up(population, tariff.limits.cap_per_inhabitant, PRICE_SCALE // 100)
        per_inh = np.where(population > 0, per_inh, -1)
        cap = np.where((cap < 0) | ((per_inh >= 0) & (per_inh < cap)), per_inh, cap)
    return cap


@dataclass
class Priced:
    components: list[IntArray]
    base: IntArray
    amount: IntArray
    limit: LimitArray


def priced_amounts(
    tariff: Tariff,
    qty: IntArray,
    kind: npt.NDArray[np.int8],
    measures: Mapping[str, IntArray],
    coef: IntArray,
    days: IntArray,
    diy: int,
    exempt: IntArray,
    cap: IntArray,
    step: int,
) -> Priced:
    n = qty.shape[0]
    floor = tariff.limits.floor_cents
    comps = [component_amounts(comp, qty, kind, measures) for comp in tariff.components]
    base = np.sum(comps, axis=0) if comps else np.zeros(n, dtype=np.int64)
    base = base.astype(np.int64)
    amount = mul_div_half_up(base, coef, COEF_SCALE)
    if tariff.prorata:
        amount = mul_div_half_up(amount, days, diy)
    limit = np.full(n, LIMIT_NONE, dtype=np.int8)
    if floor is not None:
        limit[amount < floor] = LIMIT_FLOOR
        amount = np.maximum(amount, floor)
    capped = (cap >= 0) & (amount > cap)
    limit[capped] = LIMIT_CAP
    amount = np.where(capped, cap, amount)
    if step != 1:
        amount = (2 * amount + step) // (2 * step) * step
    amount = np.where(exempt >= 0, 0, amount)
    limit[exempt >= 0] = LIMIT_NONE
    return Priced(comps, base, amount, limit)


@dataclass
class Sharing:
    amount: IntArray
    limit: LimitArray
    keys: AnyIntArray
    key_total: int
    net_cost_cents: int
    unallocated_cents: int
    subsidies: list[tuple[str, int]] = field(default_factory=list)


def _subsidies(tariff: Tariff) -> tuple[int, list[tuple[str, int]]]:
    cs = tariff.cost_sharing
    assert cs is not None
    net = cs.cost_cents
    subsidies = []
    for sub in cs.subsidies:
        value = (
            half_up_div(cs.cost_cents * sub.share, COEF_SCALE)
            if sub.share is not None
            else int(sub.amount_cents or 0)
        )
        subsidies.append((sub.label, value))
        net -= value
    if net < 0:
        raise InputError(f"{tariff.source} : les subventions dépassent le coût ({tariff.service})")
    return net, subsidies


def share_cost(
    tariff: Tariff,
    qty: IntArray,
    kind: npt.NDArray[np.int8],
    coef: IntArray,
    days: IntArray,
    exempt: IntArray,
    cap: IntArray,
    step: int,
) -> Sharing:
    cs = tariff.cost_sharing
    assert cs is not None
    floor = tariff.limits.floor_cents
    net, subsidies = _subsidies(tariff)
    weight = by_kind(COEF_SCALE, cs.weights_by_kind, kind.astype(np.int8))
    # A factor equal for everyone does not change the proportions: leave it out of the key.
    weight, coef, days = (_unless_constant(f) for f in (weight, coef, days))
    bound = int(qty.max(initial=0)) * int(weight.max(initial=0)) * int(coef.max(initial=0)) * 366
    key: AnyIntArray
    if bound * max(qty.shape[0], 1) < 2**62:
        key = qty * weight * coef * days
    else:
        key = qty.astype(object) * weight * coef * days
    key = np.where(exempt >= 0, 0, key)
    if key.dtype != np.int64:
        key = key.astype(object)
    n = qty.shape[0]
    order = np.arange(n, dtype=np.int64)  # consumers are sorted by member id
    fixed = np.full(n, -1, dtype=np.int64)
    limit = np.full(n, LIMIT_NONE, dtype=np.int8)
    eligible = exempt < 0
    while True:
        free = fixed < 0
        rest = net - int(fixed[~free].sum())
        free_key = np.where(free, key, 0)
        if free_key.dtype != np.int64:
            free_key = free_key.astype(object)
        shares = largest_remainder(max(rest, 0), free_key, order, step)
        amount = np.where(free, shares, fixed)
        over = free & eligible & (cap >= 0) & (amount > cap)
        if over.any():
            fixed[over] = cap[over]
            limit[over] = LIMIT_CAP
            continue
        if floor is not None:
            under = free & eligible & (amount < floor)
            if under.any():
                fixed[under] = floor
                limit[under] = LIMIT_FLOOR
                continue
        break
    return Sharing(
        amount=amount.astype(np.int64),
        limit=limit,
        keys=key,
        key_total=int(key.sum()),
        net_cost_cents=net,
        unallocated_cents=net - int(amount.sum()),
        subsidies=subsidies,
    )


def _unless_constant(factor: IntArray) -> IntArray:
    if factor.size and (factor == factor[0]).all():
        return np.ones_like(factor)
    return factor
