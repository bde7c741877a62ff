"""The computation: a tariff, members, subscriptions and usage → charge lines.

:func:`allocate_many` reads the usage of every service in one pass (:mod:`.usage`), expands the
subscriptions of every service at once (:mod:`.consumers`), then per tariff computes the amounts
(:mod:`.charges`, which documents the order of the steps) and builds the lines (one polars frame
per tariff, plus contribution and re-billing lines).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import polars as pl

from mutualis.engine.charges import LIMIT_NAMES, caps, priced_amounts, share_cost
from mutualis.engine.consumers import Consumers, coverage, days_in_year, own_consumers
from mutualis.engine.frames import ChargeColumns, charge_columns, charges
from mutualis.engine.inputs import Inputs
from mutualis.engine.model import Charge, ChargeRule, InputError, Member, Subscription, UsageRecord
from mutualis.engine.money import AnyIntArray, IntArray, format_scaled
from mutualis.engine.rebill import own_rebill_lines, rebill_lines
from mutualis.engine.rules import (
    KIND_INDEX,
    MEASURE_LABELS,
    MemberArrays,
    exemption_index,
    measure_values,
    outside_bands,
    solidarity_coefficients,
)
from mutualis.engine.tariff import Rounding, Tariff, measure_scale
from mutualis.engine.usage import read_year

LINE_SCHEMA: dict[str, type[pl.DataType]] = {
    "service": pl.String,
    "year": pl.Int32,
    "member_id": pl.String,
    "member_name": pl.String,
    "kind": pl.String,
    "payer_id": pl.String,
    "issuer_id": pl.String,
    "rule": pl.String,
    "exemption": pl.String,
    "limit": pl.String,
    "detail": pl.String,
}
"""Other columns of the lines are Int64."""


@dataclass
class AllocationResult:
    """Charge lines of one tariff (columnar), with what is needed to explain them."""

    tariff: Tariff
    year: int
    lines: pl.DataFrame
    keys: AnyIntArray | None = None
    """Cost sharing: the key of each consumer line (same order as the first lines)."""
    key_total: int = 0
    net_cost_cents: int | None = None
    subsidies: list[tuple[str, int]] = field(default_factory=list)
    unallocated_cents: int = 0

    def total_cents(self, rule: str | None = None) -> int:
        lines = self.lines.filter(pl.col("issuer_id") == "")
        if rule is not None:
            lines = lines.filter(pl.col("rule") == rule)
        return int(lines["amount_cents"].sum())

    def amounts(self) -> dict[str, int]:
        """Operator-billed amount per consumer (re-billing lines excluded)."""
        lines = self.lines.filter(pl.col("issuer_id") == "")
        return dict(zip(lines["member_id"].to_list(), lines["amount_cents"].to_list(), strict=True))

    def explanations(self) -> list[str]:
        from mutualis.engine.explain import explain

        return explain(self)

    def charges(self, explain: bool = True) -> Iterator[Charge]:
        """The lines as typed :class:`Charge` records (Decimal quantities, integer cents)."""
        return charges(self.lines, self.explanations() if explain else None)

    def charge_columns(self, explain: bool = True) -> ChargeColumns:
        """The lines column by column (:class:`ChargeColumns`), for many lines at once."""
        return charge_columns(self.lines, self.explanations() if explain else None)

    @property
    def is_sharing(self) -> bool:
        """A cost-sharing tariff (otherwise priced)."""
        return self.tariff.cost_sharing is not None

    @property
    def rule(self) -> ChargeRule:
        """The rule of the consumer lines: cost sharing or a priced tariff."""
        return ChargeRule.SHARING if self.is_sharing else ChargeRule.TARIFF

    def to_frame(self, explain: bool = True) -> pl.DataFrame:
        frame = self.lines
        if explain:
            frame = frame.with_columns(pl.Series("explanation", self.explanations(), pl.String))
        return frame


def allocate(
    tariff: Tariff,
    members: Sequence[Member] | pl.DataFrame,
    subscriptions: Sequence[Subscription] | pl.DataFrame | None,
    usage: Sequence[UsageRecord] | pl.DataFrame,
    year: int | None = None,
) -> AllocationResult:
    """Charge lines of ``tariff`` for ``year`` (default: the tariff's year).

    ``subscriptions=None`` means: every member with usage of the service subscribes for itself
    for the whole year.
    """
    inputs = Inputs.build(members, subscriptions, usage)
    return allocate_many([tariff], inputs, year)[0]


def allocate_many(
    tariffs: Sequence[Tariff], inputs: Inputs, year: int | None = None
) -> list[AllocationResult]:
    """Several tariffs (services) over the same inputs; usage is read in one pass."""
    for tariff in tariffs:
        if year is not None and tariff.year != year:
            raise InputError(f"{tariff.source} : le tarif est pour {tariff.year}, pas {year}")
    services = [t.service for t in tariffs]
    if len(set(services)) != len(tariffs):
        raise InputError("deux tarifs pour le même service")
    usage_year = year if year is not None else tariffs[0].year
    if not tariffs:
        return []
    usage = read_year(
        inputs.usage,
        inputs.index,
        usage_year,
        services,
        [t.reading for t in tariffs],
    )
    covered = None
    if inputs.subscriptions is not None and inputs.subscription_member is not None:
        covered = coverage(
            tariffs, inputs.members, inputs.subscriptions, inputs.subscription_member
        )
    parts = []
    for position, tariff in enumerate(tariffs):
        if position in usage.unknown:
            raise InputError(
                f"consommations : membre inconnu « {usage.unknown[position]} » ({tariff.service})"
            )
        qty_all = usage.quantities(position)
        if covered is None:
            cons = own_consumers(np.flatnonzero(qty_all > 0).astype(np.int64), tariff.year)
        elif position in covered.unknown:
            raise InputError(
                f"souscriptions : membre inconnu « {covered.unknown[position]} » ({tariff.service})"
            )
        else:
            cons = covered.of(position)
        parts.append(_allocate_one(tariff, inputs, qty_all, cons))
    return _with_lines(parts, inputs)


@dataclass
class _Part:
    """The consumer lines of one tariff as arrays, before their frame is built (the frames of
    all the tariffs of a run are built at once, :func:`_with_lines`)."""

    result: AllocationResult
    consumer: IntArray
    payer: IntArray
    rule: str
    numbers: dict[str, IntArray]
    exemption: IntArray
    """Position of the exemption among the tariff's (its count: none)."""
    limit: npt.NDArray[np.int8]
    amount: IntArray
    ints: dict[str, IntArray]
    extra: list[pl.DataFrame]


def _allocate_one(tariff: Tariff, inputs: Inputs, qty_all: IntArray, cons: Consumers) -> _Part:
    m = inputs.members
    year = tariff.year
    c, payer, days = cons.consumer, cons.subscriber, cons.days
    diy = days_in_year(year)
    qty = qty_all[c]
    kind = m.kind[c]
    exempt_all = exemption_index(tariff.exemptions, m)
    exempt = exempt_all[c]
    coef = solidarity_coefficients(tariff.solidarity, m, exempt_all)[c]
    measure_names = sorted(
        {name for comp in tariff.components for name in comp.measures_read()} - {"quantity"}
    )
    measures = {name: measure_values(name, m, exempt_all)[0][c] for name in measure_names}
    measures["quantity"] = qty
    pop = m.population[c]
    cap = caps(tariff, pop)
    step = 100 if tariff.rounding is Rounding.EURO else 1
    columns: dict[str, IntArray] = {}
    result = AllocationResult(tariff, year, pl.DataFrame())
    if tariff.cost_sharing is None:
        _check_bands(tariff, measures, exempt < 0, m, c)
        priced = priced_amounts(tariff, qty, kind, measures, coef, days, diy, exempt, cap, step)
        amount, limit = priced.amount, priced.limit
        for i, comp_amount in enumerate(priced.components):
            columns[f"component_{i + 1}_cents"] = comp_amount
        rule = ChargeRule.TARIFF.value
        columns["base_cents"] = priced.base
    else:
        sharing = share_cost(tariff, qty, kind, coef, days, exempt, cap, step)
        amount, limit = sharing.amount, sharing.limit
        result.subsidies = sharing.subsidies
        result.net_cost_cents = sharing.net_cost_cents
        result.keys, result.key_total = sharing.keys, sharing.key_total
        result.unallocated_cents = sharing.unallocated_cents
        rule = ChargeRule.SHARING.value
    n = c.shape[0]
    numbers = {
        "quantity": qty,
        "population": pop,
        "coefficient": coef,
        "days": days,
        "days_in_year": np.full(n, diy, dtype=np.int64),
    }
    ints = {
        **{f"measure_{k}": v for k, v in measures.items() if k != "quantity"},
        **columns,
    }
    extra = [_contribution_lines(tariff, inputs)]
    rebill = cons.rebill
    if rebill is not None and rebill.null_count() < rebill.len():
        extra.append(rebill_lines(tariff, m, c, payer, rebill, np.asarray(amount), exempt))
    rebill_own = cons.rebill_own
    if rebill_own is not None and rebill_own.null_count() < rebill_own.len():
        extra.append(own_rebill_lines(tariff, m, c, payer, rebill_own, np.asarray(amount), exempt))
    return _Part(
        result,
        c,
        payer,
        rule,
        numbers,
        np.where(exempt >= 0, exempt, len(tariff.exemptions)),
        limit,
        np.asarray(amount, dtype=np.int64),
        ints,
        [f for f in extra if f.height],
    )


def _with_lines(parts: Sequence[_Part], inputs: Inputs) -> list[AllocationResult]:
    """The lines of every tariff: the columns common to all (members, payers, rule, numbers,
    exemption, limit, amount) built once for the whole run — one gather of the members' ids and
    names, no string per line in Python —, then sliced per tariff (no copy) with the tariff's
    own columns (measures, components) and its contribution and re-billing lines."""
    if not parts:
        return []
    sizes = np.asarray([p.consumer.shape[0] for p in parts], dtype=np.int64)
    which = np.repeat(np.arange(len(parts), dtype=np.int64), sizes)
    frame = inputs.members.frame
    consumer = np.concatenate([p.consumer for p in parts])
    payer = np.concatenate([p.payer for p in parts])
    own = bool(np.array_equal(payer, consumer))  # each consumer pays for itself
    labels = [
        label for p in parts for label in [*(e.label for e in p.result.tariff.exemptions), ""]
    ]
    label_offsets = np.cumsum([0] + [len(p.result.tariff.exemptions) + 1 for p in parts])[:-1]

    exemption = np.concatenate(
        [p.exemption + offset for p, offset in zip(parts, label_offsets, strict=True)]
    )

    def per_line(values: Sequence[object], dtype: pl.DataType) -> pl.Expr:
        return pl.lit(pl.Series(values, dtype=dtype)).gather(which)

    def joined(name: str) -> pl.Series:
        return pl.Series(name, np.concatenate([p.numbers[name] for p in parts]), pl.Int64)

    common = frame.select(
        per_line([p.result.tariff.service for p in parts], pl.String()).alias("service"),
        per_line([p.result.year for p in parts], pl.Int32()).alias("year"),
        pl.col("id").gather(consumer).alias("member_id"),
        pl.col("name").gather(consumer).alias("member_name"),
        pl.col("kind").gather(consumer).alias("kind"),
        *([] if own else [pl.col("id").gather(payer).alias("payer_id")]),
        per_line([""] * len(parts), pl.String()).alias("issuer_id"),
        per_line([p.rule for p in parts], pl.String()).alias("rule"),
        *(pl.lit(joined(name)) for name in parts[0].numbers),
        pl.lit(pl.Series(labels, dtype=pl.String)).gather(exemption).alias("exemption"),
        pl.lit(pl.Series(LIMIT_NAMES, dtype=pl.String))
        .gather(np.concatenate([p.limit for p in parts]))
        .alias("limit"),
        pl.lit(pl.Series("amount_cents", np.concatenate([p.amount for p in parts]), pl.Int64)),
    )
    if own:
        common.insert_column(5, common["member_id"].alias("payer_id"))
    results = []
    start = 0
    for part, size in zip(parts, sizes.tolist(), strict=True):
        lines = common.slice(start, size)
        start += size
        if part.ints:
            lines = lines.hstack(
                [pl.Series(k, np.asarray(v, dtype=np.int64)) for k, v in part.ints.items()]
            )
        frames = [lines, *part.extra]
        part.result.lines = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else lines
        results.append(part.result)
    return results


class OutsideBandsError(InputError):
    """A member's value falls outside the bands of a tiers or grid component."""


def _check_bands(
    tariff: Tariff,
    measures: dict[str, IntArray],
    eligible: npt.NDArray[np.bool_],
    m: MemberArrays,
    c: IntArray,
) -> None:
    """A value outside the voted bands is an error naming the member and the value (an exempt
    member owes nothing: its value is not checked)."""
    for i, component in enumerate(tariff.components):
        found = outside_bands(component, measures, eligible)
        if found is None:
            continue
        scale = measure_scale(found.measure)
        label = (
            tariff.unit
            if found.measure == "quantity"
            else MEASURE_LABELS.get(found.measure, found.measure)
        )
        value = f"{format_scaled(int(found.values[0]), scale)} {label}"
        bound = f"{format_scaled(found.bound, scale)} {label}"
        if found.above:
            where = f"au-delà de la dernière tranche (jusqu'à {bound})"
        else:
            where = f"en dessous de la première tranche (à partir de {bound})"
        member = m.names[c[found.rows[0]]] or m.ids[c[found.rows[0]]]
        others = found.rows.shape[0] - 1
        more = f" ; et {others} autre{'s' if others > 1 else ''} membre{'s' if others > 1 else ''}"
        raise OutsideBandsError(
            f"{tariff.source} : clé « components[{i + 1}] » : {member} : {value} hors des "
            f"tranches votées, {where}{more if others else ''}"
        )


def _contribution_lines(tariff: Tariff, inputs: Inputs) -> pl.DataFrame:
    rows = []
    if tariff.cost_sharing is not None:
        for sub in tariff.cost_sharing.subsidies:
            if sub.member_id is None:
                continue
            found = inputs.member_frame.filter(pl.col("id") == sub.member_id)
            if found.height == 0:
                raise InputError(
                    f"{tariff.source} : subvention « {sub.label} » : membre inconnu "
                    f"« {sub.member_id} »"
                )
            rows.append(
                {
                    "service": tariff.service,
                    "year": tariff.year,
                    "member_id": sub.member_id,
                    "member_name": found["name"][0],
                    "kind": found["kind"][0],
                    "payer_id": sub.member_id,
                    "issuer_id": "",
                    "rule": ChargeRule.CONTRIBUTION.value,
                    "detail": sub.label,
                    "amount_cents": int(sub.amount_cents or 0),
                }
            )
    schema = {"year": pl.Int32, "amount_cents": pl.Int64}
    return pl.DataFrame(rows, schema_overrides=schema) if rows else pl.DataFrame()


__all__ = ["KIND_INDEX", "AllocationResult", "Inputs", "allocate", "allocate_many"]
