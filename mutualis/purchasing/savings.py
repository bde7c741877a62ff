"""The arithmetic of grouped purchasing, in pure Python (no Django): which price tier
applies, what each member pays, what it saves against going alone, totals and scores.

Rules (docs/purchasing.md shows them on a worked example):
- Unit prices are `Decimal`; amounts are integer cents.
- Tiers: an offer has a base unit price (from 0) and optional tiers "from quantity Q on,
  unit price P". The tier that applies is chosen once for the lot, on the aggregated
  quantity of the whole group (the sum of every participating member's needs): the tier with
  the highest threshold not above that quantity. Every member then pays that unit price for
  its whole quantity (no progressive split, no per-member tier).
- A line is one member × one lot. Its yearly amount is quantity × awarded unit price and its
  going-alone amount quantity × reference unit price, each rounded to the cent (half up).
  Its saving is the difference of these two rounded amounts. Totals add the rounded lines.
- The reference unit price is the member's own current price when it gave one ("own"), else
  the lot's reference market price ("market"); without either, the line has no saving
  ("none") and stays out of the saving rate.
- Saving rate = total saved / total going-alone amount of the lines that have a reference.
"""

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

RATE_PLACES = Decimal("0.0001")
SCORE_PLACES = Decimal("0.01")
TEN = Decimal(10)


class ReferenceBasis(StrEnum):
    OWN = "own"
    MARKET = "market"
    NONE = "none"


def price_for_quantity(tiers: Iterable[tuple[Decimal, Decimal]], quantity: Decimal) -> Decimal:
    """The unit price of the tier with the highest threshold at or below `quantity`.

    `tiers` holds (threshold, unit price) pairs and must include the base price at 0.
    """
    applicable = [tier for tier in tiers if tier[0] <= quantity]
    if not applicable:
        raise ValueError("no tier applies: the base price (threshold 0) is missing")
    return max(applicable, key=lambda tier: tier[0])[1]


def amount_cents(quantity: Decimal, unit_price: Decimal) -> int:
    """quantity × unit price in cents, rounded half up."""
    return int((quantity * unit_price * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class NeedLine:
    member_id: int
    lot_id: int
    quantity: Decimal
    awarded_price: Decimal
    own_price: Decimal | None = None
    market_price: Decimal | None = None
    member_kind: str = ""
    population: int | None = None


@dataclass(frozen=True)
class LineResult:
    line: NeedLine
    basis: ReferenceBasis
    reference_price: Decimal | None
    amount_cents: int
    alone_cents: int | None
    saving_cents: int | None


def line_result(line: NeedLine) -> LineResult:
    amount = amount_cents(line.quantity, line.awarded_price)
    if line.own_price is not None:
        basis, reference = ReferenceBasis.OWN, line.own_price
    elif line.market_price is not None:
        basis, reference = ReferenceBasis.MARKET, line.market_price
    else:
        return LineResult(line, ReferenceBasis.NONE, None, amount, None, None)
    alone = amount_cents(line.quantity, reference)
    return LineResult(line, basis, reference, amount, alone, alone - amount)


@dataclass
class Totals:
    purchased_cents: int = 0
    alone_cents: int = 0  # lines with a reference only
    saved_cents: int = 0
    lines: int = 0
    lines_without_reference: int = 0
    member_ids: set = field(default_factory=set)

    def add(self, result: LineResult) -> None:
        self.purchased_cents += result.amount_cents
        self.lines += 1
        self.member_ids.add(result.line.member_id)
        if result.saving_cents is None:
            self.lines_without_reference += 1
            return
        self.alone_cents += result.alone_cents or 0
        self.saved_cents += result.saving_cents

    @property
    def members(self) -> int:
        return len(self.member_ids)

    @property
    def rate(self) -> Decimal | None:
        """Saved / going-alone amount, e.g. Decimal("0.6667"); None without a reference."""
        if not self.alone_cents:
            return None
        return (Decimal(self.saved_cents) / Decimal(self.alone_cents)).quantize(
            RATE_PLACES, rounding=ROUND_HALF_UP
        )


def totals(results: Iterable[LineResult]) -> Totals:
    total = Totals()
    for result in results:
        total.add(result)
    return total


def totals_by(
    results: Iterable[LineResult], key: Callable[[LineResult], Hashable]
) -> dict[Hashable, Totals]:
    groups: dict[Hashable, Totals] = {}
    for result in results:
        groups.setdefault(key(result), Totals()).add(result)
    return groups


# Size bands of communes, by population: [0, 500), [500, 2000), [2000, 10000], (10000, ...).
POPULATION_BANDS = ("lt500", "500-2000", "2000-10000", "gt10000")


def population_band(population: int | None) -> str:
    if population is None:
        return "unknown"
    if population < 500:
        return "lt500"
    if population < 2000:
        return "500-2000"
    if population <= 10000:
        return "2000-10000"
    return "gt10000"


def weighted_scores(
    *,
    totals_cents: dict[Hashable, int],
    price_weight: int,
    criteria: Sequence[tuple[Hashable, int]],
    scores: dict[tuple[Hashable, Hashable], Decimal],
) -> dict[Hashable, Decimal]:
    """Score out of 10 per offer: price score (10 × lowest total / this total) and each
    criterion's score (out of 10, missing = 0), averaged with their weights."""
    if not totals_cents:
        return {}
    lowest = min(totals_cents.values())
    weight_sum = price_weight + sum(weight for _criterion, weight in criteria)
    result: dict[Hashable, Decimal] = {}
    for offer, total in totals_cents.items():
        price_score = TEN if total == 0 else TEN * Decimal(lowest) / Decimal(total)
        weighted = price_score * price_weight + sum(
            (scores.get((offer, criterion), Decimal(0)) * weight for criterion, weight in criteria),
            Decimal(0),
        )
        value = weighted / weight_sum if weight_sum else price_score
        result[offer] = value.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)
    return result
