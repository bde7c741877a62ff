"""The arithmetic of what pooling brings a member, in pure Python (no Django): savings
against going alone, and anonymous comparisons with members of similar size.

Rules (docs/elus.md shows them on a worked example):
- Amounts are integer cents. A saving is « prix seul » minus what the member paid: it is
  negative when pooling cost more than going alone, and it is shown so — never floored at 0.
- A part without a reference (no « prix seul » for the service and size class, no cost of a
  technician's day) has no saving: it is listed, said to be without reference, and left out
  of the total rather than counted as 0.
- A comparison shows quartiles of a group only when the group has at least
  :data:`MIN_GROUP` members, so that no member's figure can be read from it; it never names
  a member.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MIN_GROUP = 5
"""Fewest members of a group for its quartiles to be shown (anonymity)."""


@dataclass(frozen=True)
class Saving:
    """One line of savings: what the member paid, what it would have paid alone."""

    label: str
    paid_cents: int
    alone_cents: int | None
    """None: no reference; the line has no saving."""
    method: str
    """How ``alone_cents`` was obtained, in a sentence shown beside the figure."""
    source: str = ""
    outside_titres: bool = False
    """Paid directly to a supplier (a grouped purchase), not through the operator's titres."""
    exemption: str = ""
    """The tariff's exemption that spared the member (it paid nothing): said beside the line."""
    note: str = ""
    """Why the saving is negative, in plain words (empty otherwise)."""

    @property
    def saving_cents(self) -> int | None:
        if self.alone_cents is None:
            return None
        return self.alone_cents - self.paid_cents


@dataclass(frozen=True)
class SavingsPart:
    """A family of savings (grouped purchases, pooled services, shared staff)."""

    title: str
    method: str
    lines: tuple[Saving, ...]

    @property
    def counted(self) -> tuple[Saving, ...]:
        return tuple(line for line in self.lines if line.alone_cents is not None)

    @property
    def saving_cents(self) -> int | None:
        counted = self.counted
        if not counted:
            return None
        return sum(line.saving_cents or 0 for line in counted)

    @property
    def negative_notes(self) -> tuple[str, ...]:
        """Why the counted lines that cost more than going alone did so."""
        return tuple(
            line.note for line in self.counted if (line.saving_cents or 0) < 0 and line.note
        )

    @property
    def paid_cents(self) -> int:
        return sum(line.paid_cents for line in self.counted)

    @property
    def alone_cents(self) -> int:
        return sum(line.alone_cents or 0 for line in self.counted)


def total_saving(parts: Iterable[SavingsPart]) -> int | None:
    """The sum of the parts that have a saving (None when none has)."""
    values = [p.saving_cents for p in parts if p.saving_cents is not None]
    return sum(values) if values else None


def rate(saving_cents: int | None, alone_cents: int) -> Decimal | None:
    """The saving as a share of the cost alone, in percent, 1 decimal (None without one)."""
    if saving_cents is None or alone_cents <= 0:
        return None
    return (Decimal(saving_cents) * 100 / alone_cents).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def days_cost_cents(days: Decimal, day_cost_cents: int) -> int:
    """Days × the cost of a day, to the cent (half up)."""
    return int((days * day_cost_cents).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Quartiles:
    count: int
    q1: Decimal
    median: Decimal
    q3: Decimal


def _quantile(ordered: Sequence[Decimal], fraction: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (the spreadsheet's QUARTILE.INC)."""
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    weight = position - low
    return ordered[low] + (ordered[high] - ordered[low]) * weight


def quartiles(values: Iterable[Decimal | int]) -> Quartiles | None:
    """First quartile, median and third quartile; None for a group under MIN_GROUP."""
    ordered = sorted(Decimal(v) for v in values)
    if len(ordered) < MIN_GROUP:
        return None
    return Quartiles(
        count=len(ordered),
        q1=_quantile(ordered, Decimal("0.25")),
        median=_quantile(ordered, Decimal("0.5")),
        q3=_quantile(ordered, Decimal("0.75")),
    )


def position(value: Decimal | int, group: Quartiles) -> str:
    """Where a value stands in its group: ``low`` (below Q1), ``middle`` or ``high``."""
    if value < group.q1:
        return "low"
    if value > group.q3:
        return "high"
    return "middle"
