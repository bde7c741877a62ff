"""Exact money: integer cents, half-up rounding, largest remainder, French formatting.

Every amount is an integer number of cents. Decimal parameters of a tariff are turned into
scaled integers once (:func:`to_scaled`); the hot path then works on ``numpy.int64`` arrays and
falls back to Python integers (``dtype=object``) when a product could overflow 64 bits.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
AnyIntArray = npt.NDArray[np.int64] | npt.NDArray[np.object_]

QTY_SCALE = 1_000
"""Quantities are exact to 3 decimals (milli-units)."""
PRICE_SCALE = 1_000_000
"""Prices are exact to 6 decimals of a euro: 1 € = 1 000 000 price units, 1 cent = 10 000."""
CENTS_PER_PRICE = 10_000
COEF_SCALE = 10_000
"""Coefficients, weights and shares are exact to 4 decimals."""

_INT64_SAFE = 2**62


class PrecisionError(ValueError):
    """A decimal value has more decimals than the engine keeps exactly."""


def to_scaled(value: Decimal | int | str, scale: int) -> int:
    """Return ``value × scale`` as an exact integer, or raise :class:`PrecisionError`."""
    try:
        dec = Decimal(value) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise PrecisionError(f"{value!r} n'est pas un nombre décimal") from exc
    if not dec.is_finite():
        raise PrecisionError(f"{value!r} n'est pas un nombre fini")
    scaled = dec * scale
    if scaled != scaled.to_integral_value():
        decimals = len(str(scale)) - 1
        raise PrecisionError(f"{value} a plus de {decimals} décimales")
    return int(scaled)


def euros_to_cents(value: Decimal | int | str) -> int:
    """Exact conversion of an amount in euros (at most 2 decimals) to cents."""
    return to_scaled(value, 100)


def half_up_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero (denominator > 0)."""
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


def round_cents(cents: int, step: int) -> int:
    """Round an amount in cents to a multiple of ``step`` (1 or 100), half up."""
    return half_up_div(cents, step) * step


def _fits(*bounds: int) -> bool:
    product = 1
    for bound in bounds:
        product *= max(abs(bound), 1)
    return product < _INT64_SAFE


def _max_abs(values: AnyIntArray) -> int:
    if values.size == 0:
        return 0
    return int(max(abs(int(values.max())), abs(int(values.min()))))


def as_exact(values: AnyIntArray) -> IntArray:
    """Back to int64 when every value fits (they do for any realistic amount)."""
    if values.dtype == np.int64:
        return values  # type: ignore[return-value]
    if values.size and _max_abs(values) >= 2**63:
        raise OverflowError("montant hors des limites (plus de 92 millions de milliards)")
    return values.astype(np.int64)


def mul_div_half_up(
    values: AnyIntArray, factor: AnyIntArray | int, divisor: int | AnyIntArray
) -> IntArray:
    """Elementwise ``round_half_up(values × factor / divisor)`` for non-negative inputs.

    Uses int64 when the products fit, Python integers otherwise: never floats.
    """
    fmax = factor if isinstance(factor, int) else _max_abs(factor)
    dmax = divisor if isinstance(divisor, int) else _max_abs(divisor)
    if _fits(_max_abs(values), fmax, 4) and _fits(dmax, 4):
        num = values.astype(np.int64) * factor
        den = np.asarray(divisor, dtype=np.int64)
        return (2 * num + den) // (2 * den)
    vals = values.astype(object)
    fac = factor if isinstance(factor, int) else factor.astype(object)
    den_o = divisor if isinstance(divisor, int) else divisor.astype(object)
    out = (2 * vals * fac + den_o) // (2 * den_o)
    return as_exact(np.asarray(out, dtype=object))


def largest_remainder(total: int, weights: AnyIntArray, order: IntArray, step: int = 1) -> IntArray:
    """Split ``total`` (cents) in proportion to non-negative integer ``weights``.

    Shares are multiples of ``step`` (1 = cent, 100 = euro) except that the cents left when
    ``total`` is not a multiple of ``step`` go to the first line of the remainder order (never
    to a line of zero weight). Lines
    sum exactly to ``total``. Ties on the remainder are broken by ``order`` (e.g. the rank of the
    member id), so a run is reproducible. All-zero weights give all-zero shares.
    """
    n = weights.shape[0]
    shares = np.zeros(n, dtype=np.int64)
    if n == 0:
        return shares
    wmax = _max_abs(weights)
    weight_sum = int(weights.sum()) if _fits(n, wmax) else int(weights.astype(object).sum())
    if weight_sum <= 0 or total == 0:
        return shares
    units, residual = divmod(total, step)
    if _fits(units, wmax) and _fits(weight_sum):
        prod = weights.astype(np.int64) * units
        quotient = prod // weight_sum
        remainder = prod % weight_sum
        neg_rem: AnyIntArray = -remainder
    else:
        prod_o = weights.astype(object) * units
        quotient = as_exact(np.asarray(prod_o // weight_sum, dtype=object))
        rem_o = prod_o % weight_sum
        # Ranking the remainders is enough: map them to int64 ranks.
        _, rank = np.unique(rem_o.astype(object), return_inverse=True)
        neg_rem = -rank.astype(np.int64)
    left = units - int(quotient.sum())
    # Largest remainder first, then by order; a line of zero weight gets nothing, not even cents.
    zero = np.asarray(weights == 0, dtype=np.int64)
    shares = quotient.astype(np.int64)
    first = _first_ranked(max(left, 1 if residual else 0), zero, neg_rem, order)
    if left:
        shares[first[:left]] += 1
    shares *= step
    if residual:
        shares[first[0]] += residual
    return shares


def _first_ranked(k: int, zero: IntArray, neg_rem: AnyIntArray, order: IntArray) -> IntArray:
    """The ``k`` first lines ranked by (zero weight, -remainder, order, position), in that
    ranking: a partition on one integer key, a sort of the lines tied at the boundary only."""
    n = zero.shape[0]
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    low = int(neg_rem.min()) if n else 0
    span = int(neg_rem.max()) - low + 1 if n else 1
    if neg_rem.dtype != np.int64 or not _fits(2 * span, 2):
        return np.lexsort((order, neg_rem, zero))[:k].astype(np.int64)
    primary = zero * span + (neg_rem.astype(np.int64) - low)
    lowest = int(order.min())
    width = int(order.max()) - lowest + 1
    unique = width <= 4 * n and bool((np.bincount(order - lowest, minlength=width) <= 1).all())
    if unique and _fits(2 * span, width, 2):
        # (primary, order) as one integer, unique: a partition, then one sort of the k first.
        ranking = primary * width + (order - lowest)
        if k < n:
            first = np.argpartition(ranking, k - 1)[:k]
            return first[np.argsort(ranking[first], kind="stable")].astype(np.int64)
        return np.argsort(ranking, kind="stable").astype(np.int64)
    if k < n:
        boundary = np.partition(primary, k - 1)[k - 1]
        candidates = np.flatnonzero(primary <= boundary)
    else:
        candidates = np.arange(n, dtype=np.int64)
    ranked = candidates[np.lexsort((order[candidates], primary[candidates]))]
    return ranked[:k].astype(np.int64)


def split_equal(total: int, count: int) -> list[int]:
    """Split ``total`` cents in ``count`` near-equal shares; the first ones get a cent more."""
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


# ---------------------------------------------------------------- French formatting

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def group_thousands(digits: str) -> str:
    """``"1234567"`` → ``"1 234 567"`` (narrow no-break spaces), the French way."""
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return NARROW_NBSP.join(parts)


@lru_cache(maxsize=65536)
def format_scaled(value: int, scale: int, min_decimals: int = 0) -> str:
    """French writing of ``value / scale``: ``1 234,5`` (trailing zeros dropped). Cached: the
    explanations of a run write the same prices and amounts many times."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), scale)
    decimals = len(str(scale)) - 1
    frac_text = str(frac).rjust(decimals, "0").rstrip("0") if decimals else ""
    frac_text = frac_text.ljust(min_decimals, "0")
    text = sign + f"{whole:,}".replace(",", NARROW_NBSP)  # group_thousands(str(whole))
    return f"{text},{frac_text}" if frac_text else text


def format_eur(cents: int) -> str:
    """``155000`` → ``1 550,00 €`` (narrow no-break space for thousands)."""
    return format_scaled(cents, 100, 2) + NBSP + "€"


def format_price(price_units: int) -> str:
    """A price in :data:`PRICE_SCALE` units, at least 2 decimals: ``12,40 €``, ``0,125 €``."""
    return format_scaled(price_units, PRICE_SCALE, 2) + NBSP + "€"


def format_qty(milli: int) -> str:
    return format_scaled(milli, QTY_SCALE)


def format_coef(scaled: int) -> str:
    return format_scaled(scaled, COEF_SCALE)


def decimal_text(value: int, scale: int) -> str:
    """Plain (CSV) writing of ``value / scale`` with a dot: ``12.5``."""
    return format_scaled(value, scale).replace(NARROW_NBSP, "").replace(",", ".")


def cents_text(cents: int) -> str:
    """Plain (CSV) writing of an amount: ``1550.00``."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def as_decimal(value: int, scale: int) -> Decimal:
    return Decimal(value) / Decimal(scale)


def quantize_half_up(value: Decimal, exp: str = "0.01") -> Decimal:
    return value.quantize(Decimal(exp), rounding=ROUND_HALF_UP)


def order_of(ids: Sequence[str]) -> IntArray:
    """Rank of each id in sorted order (the deterministic tie-break)."""
    arr = np.asarray(ids, dtype=object)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.argsort(np.argsort(arr.astype(str), kind="stable"), kind="stable").astype(np.int64)
