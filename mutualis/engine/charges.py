"""Amounts of the consumer lines, in integer cents, from arrays of consumers.

Order of the steps for a priced tariff (``[[components]]``), per consumer:
components (each half up to the cent) → × solidarity coefficient → × days / days of the year →
floor, then cap → rounding (cent or euro), never across a limit → exempt members owe 0.

For a cost-sharing tariff (``[cost_sharing]``): the net cost (cost − subsidies) is split by the
key ``units × weight of the kind × solidarity coefficient × days`` (exempt: key 0) with the
largest-remainder method, each share held between the floor and the cap of its member (see
:func:`_bounded_split`). Lines sum to the net cost to the cent; when the limits make it
impossible, every line is at a limit and the difference is reported as unallocated.
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
    amount = _within_limits(amount, limit, floor, cap)
    if step != 1:
        # Rounding to the euro never takes an amount across a limit: it stays at the limit.
        amount = _within_limits((2 * amount + step) // (2 * step) * step, limit, floor, cap)
    amount = np.where(exempt >= 0, 0, amount)
    limit[exempt >= 0] = LIMIT_NONE
    return Priced(comps, base, amount, limit)


def _within_limits(
    amount: IntArray, limit: LimitArray, floor: int | None, cap: IntArray
) -> IntArray:
    """The floor, then the cap (which wins over the floor); ``limit`` marks the lines moved."""
    if floor is not None:
        limit[amount < floor] = LIMIT_FLOOR
        amount = np.maximum(amount, floor)
    capped = (cap >= 0) & (amount > cap)
    limit[capped] = LIMIT_CAP
    return np.where(capped, cap, amount)


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
    bounds = Bounds.of(tariff.limits.floor_cents, cap, exempt < 0)
    amount, limit = _bounded_split(net, key, bounds, step)
    return Sharing(
        amount=amount,
        limit=limit,
        keys=key,
        key_total=int(key.sum()),
        net_cost_cents=net,
        unallocated_cents=net - int(amount.sum()),
        subsidies=subsidies,
    )


@dataclass(frozen=True)
class Bounds:
    """What each consumer may owe under cost sharing: from ``low`` to ``high`` (when capped).

    An exempt consumer owes exactly 0. A cap below the floor (a cap per inhabitant) wins.
    """

    low: IntArray
    high: IntArray
    capped: npt.NDArray[np.bool_]
    eligible: npt.NDArray[np.bool_]

    @classmethod
    def of(cls, floor: int | None, cap: IntArray, eligible: npt.NDArray[np.bool_]) -> Bounds:
        capped = eligible & (cap >= 0)
        high = np.where(capped, cap, 0).astype(np.int64)
        low = np.where(eligible, floor or 0, 0).astype(np.int64)
        low = np.where(capped, np.minimum(low, high), low)
        return cls(low, high, capped, eligible)


def _bounded_split(
    net: int, key: AnyIntArray, bounds: Bounds, step: int
) -> tuple[IntArray, LimitArray]:
    """Split ``net`` in proportion to ``key``, every share within its bounds.

    The exact solution gives each consumer ``clamp(t × key, low, high)`` for the one ratio ``t``
    that makes the total equal to ``net``. It is found by fixing consumers at a bound, never to
    be released (:func:`_clamped_at_ratio`); then the consumers still free split the rest by
    the largest remainder. When no ratio fits (floors above the cost, caps below it), everyone
    ends at a bound and ``net - total`` is what is left unallocated (negative: over the cost).
    """
    n = key.shape[0]
    order = np.arange(n, dtype=np.int64)  # consumers are sorted by member id
    if bounds.eligible.all() and not bounds.capped.any() and not bounds.low.any():
        # No floor, no cap, no exemption: the plain largest-remainder split.
        return largest_remainder(net, key, order, step), np.full(n, LIMIT_NONE, dtype=np.int8)
    fixed = np.where(bounds.eligible, -1, 0).astype(np.int64)
    limit = np.full(n, LIMIT_NONE, dtype=np.int8)
    while True:
        free = fixed < 0
        if not free.any():
            return fixed, limit
        rest = net - int(fixed[~free].sum())
        free_key = _only(free, key)
        key_total = int(free_key.sum())
        if key_total == 0:  # the free consumers have no units: they owe their floor
            _fix(fixed, limit, free, bounds.low, bounds)
            continue
        over, under = _clamped_at_ratio(rest, free_key, key_total, free, bounds)
        if not (over.any() or under.any()):
            shares = largest_remainder(rest, free_key, order, step)
            # Rounding to the euro may cross a bound by less than a euro: hold those at it.
            over = free & bounds.capped & (shares > bounds.high)
            under = free & (shares < bounds.low)
            if not (over.any() or under.any()):
                return np.where(free, shares, fixed).astype(np.int64), limit
        _fix(fixed, limit, over, bounds.high, bounds)
        _fix(fixed, limit, under, bounds.low, bounds)


def _clamped_at_ratio(
    rest: int, free_key: AnyIntArray, key_total: int, free: npt.NDArray[np.bool_], bounds: Bounds
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Free consumers sure to end at their cap, or those sure to end at their floor.

    At the ratio ``rest / key_total`` that splits the rest among the free consumers, some shares
    may be above their cap (by ``excess`` in all) and some below their floor (by ``shortfall``).
    Holding all of them at their limit would leave ``excess - shortfall`` to share: when it is
    positive, the ratio of the solution is higher and the shares above their cap stay above it;
    when negative, it is lower and the shares below their floor stay below it; when zero, both.
    Shares are compared multiplied by ``key_total``, so that everything stays integer.
    """
    share = _times(free_key, rest)
    high, low = _times(bounds.high, key_total), _times(bounds.low, key_total)
    over = free & bounds.capped & (share > high)
    under = free & (share < low)
    excess = int((share - high)[over].sum())
    shortfall = int((low - share)[under].sum())
    keep_over = excess >= shortfall
    keep_under = shortfall >= excess
    return over & keep_over, under & keep_under


def _fix(
    fixed: IntArray,
    limit: LimitArray,
    which: npt.NDArray[np.bool_],
    value: IntArray,
    bounds: Bounds,
) -> None:
    fixed[which] = value[which]
    at_cap = which & bounds.capped & (value == bounds.high)
    limit[which & (value > 0)] = LIMIT_FLOOR
    limit[at_cap] = LIMIT_CAP


def _only(mask: npt.NDArray[np.bool_], values: AnyIntArray) -> AnyIntArray:
    out: AnyIntArray = np.where(mask, values, 0)
    return out if values.dtype == np.int64 else out.astype(object)


def _times(values: AnyIntArray, factor: int) -> AnyIntArray:
    """``values × factor`` exactly: int64 when it fits, Python integers otherwise."""
    biggest = int(np.abs(values).max(initial=0)) if values.dtype == np.int64 else None
    if biggest is not None and biggest * abs(factor) < 2**62:
        return values * factor
    return values.astype(object) * factor


def _unless_constant(factor: IntArray) -> IntArray:
    if factor.size and (factor == factor[0]).all():
        return np.ones_like(factor)
    return factor
