"""The computation: a tariff, members, subscriptions and usage → charge lines.

Order of the steps for a priced tariff (``[[components]]``), per consumer:
components (each half up to the cent) → × solidarity coefficient → × days / days of the year →
floor, then cap → rounding (cent or euro) → exempt members owe 0.

For a cost-sharing tariff (``[cost_sharing]``): the net cost (cost − subsidies) is split by the
key ``units × weight of the kind × solidarity coefficient × days`` (exempt: key 0) with the
largest-remainder method; caps then floors are met by fixing the members concerned and
splitting the rest again among the others. Lines sum to the net cost to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import polars as pl

from mutualis.engine.consumers import consumers, days_in_year
from mutualis.engine.model import (
    InputError,
    Member,
    Subscription,
    UsageRecord,
    members_frame,
    subscriptions_frame,
    usage_frame,
)
from mutualis.engine.money import (
    COEF_SCALE,
    PRICE_SCALE,
    AnyIntArray,
    IntArray,
    half_up_div,
    largest_remainder,
    mul_div_half_up,
)
from mutualis.engine.rebill import rebill_lines
from mutualis.engine.rules import (
    KIND_CODES,
    KIND_INDEX,
    MemberArrays,
    by_kind,
    component_amounts,
    exemption_index,
    measure_values,
    solidarity_coefficients,
)
from mutualis.engine.tariff import Grid, Rounding, Tariff
from mutualis.engine.usage import read_year

LIMIT_NONE, LIMIT_FLOOR, LIMIT_CAP = 0, 1, 2
LIMIT_NAMES = ["", "plancher", "plafond"]
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


@dataclass(frozen=True)
class Inputs:
    """Members, subscriptions and usage, validated and put in columnar form once."""

    members: MemberArrays
    member_frame: pl.DataFrame
    subscriptions: pl.DataFrame | None
    usage: pl.DataFrame

    @classmethod
    def build(
        cls,
        members: Sequence[Member] | pl.DataFrame,
        subscriptions: Sequence[Subscription] | pl.DataFrame | None,
        usage: Sequence[UsageRecord] | pl.DataFrame,
    ) -> Inputs:
        frame = members if isinstance(members, pl.DataFrame) else members_frame(members)
        subs = subscriptions
        if subs is not None and not isinstance(subs, pl.DataFrame):
            subs = subscriptions_frame(subs)
        use = usage if isinstance(usage, pl.DataFrame) else usage_frame(usage)
        frame = frame.sort("id").with_row_index("idx").with_columns(pl.col("idx").cast(pl.Int64))
        return cls(_member_arrays(frame), frame, subs, use)


def _member_arrays(frame: pl.DataFrame) -> MemberArrays:
    dup = frame.filter(pl.col("id").is_duplicated())
    if dup.height:
        raise InputError(f"membres : identifiant en double « {dup['id'][0]} »")
    bad = frame.filter(~pl.col("kind").is_in(list(KIND_CODES)))
    if bad.height:
        raise InputError(f"membres : nature inconnue « {bad['kind'][0]} » ({bad['id'][0]})")
    ids = frame.select("id", "idx")

    def index_of(column: str) -> IntArray:
        joined = frame.select("idx", column).join(
            ids.rename({"id": column, "idx": "ref"}), on=column, how="left"
        )
        missing = joined.filter(pl.col(column).is_not_null() & pl.col("ref").is_null())
        if missing.height:
            raise InputError(f"membres : {column} « {missing[column][0]} » n'est pas un membre")
        return joined.sort("idx")["ref"].fill_null(-1).to_numpy().astype(np.int64)

    indicators = {}
    for column in frame.columns:
        if column.startswith("ind:"):
            values = frame[column]
            indicators[column[4:]] = (
                values.fill_null(0).to_numpy().astype(np.int64),
                values.is_not_null().to_numpy(),
            )
    kind_map = {k: i for i, k in enumerate(KIND_CODES)}
    return MemberArrays(
        ids=frame["id"].to_numpy().astype(object),
        names=frame["name"].to_numpy().astype(object),
        frame=frame.select("id", "name", "kind"),
        kind=frame["kind"].replace_strict(kind_map, return_dtype=pl.Int8).to_numpy(),
        population=frame["population"].fill_null(0).to_numpy().astype(np.int64),
        parent=index_of("parent_id"),
        epci=index_of("epci_id"),
        indicators=indicators,
    )


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
    readings = {t.service: t.reading for t in tariffs}
    if len(readings) != len(tariffs):
        raise InputError("deux tarifs pour le même service")
    results = []
    quantities = {
        key[0]: frame
        for key, frame in read_year(
            inputs.usage, year if year is not None else tariffs[0].year, readings
        )
        .partition_by("service", as_dict=True)
        .items()
    }
    for tariff in tariffs:
        qty = quantities.get(tariff.service)
        results.append(_allocate_one(tariff, inputs, qty))
    return results


def _quantities(inputs: Inputs, qty: pl.DataFrame | None, service: str) -> IntArray:
    out = np.zeros(inputs.members.size, dtype=np.int64)
    if qty is None or qty.height == 0:
        return out
    joined = qty.join(
        inputs.member_frame.select(pl.col("id").alias("member_id"), "idx"),
        on="member_id",
        how="left",
    )
    unknown = joined.filter(pl.col("idx").is_null())
    if unknown.height:
        raise InputError(
            f"consommations : membre inconnu « {unknown['member_id'][0]} » ({service})"
        )
    out[joined["idx"].to_numpy()] = joined["quantity"].to_numpy()
    return out


def _allocate_one(
    tariff: Tariff, inputs: Inputs, qty_frame: pl.DataFrame | None
) -> AllocationResult:
    m = inputs.members
    year = tariff.year
    qty_all = _quantities(inputs, qty_frame, tariff.service)
    users = pl.DataFrame({"idx": np.flatnonzero(qty_all > 0).astype(np.int64)})
    cons = consumers(
        tariff.service, year, inputs.member_frame, inputs.subscriptions, users, tariff.prorata
    )
    c = cons["consumer"].to_numpy().astype(np.int64)
    payer = cons["subscriber"].to_numpy().astype(np.int64)
    days = cons["days"].to_numpy().astype(np.int64)
    diy = days_in_year(year)
    qty = qty_all[c]
    kind = m.kind[c]
    exempt_all = exemption_index(tariff.exemptions, m)
    exempt = exempt_all[c]
    coef = solidarity_coefficients(tariff.solidarity, m, exempt_all)[c]
    measure_names = sorted(
        {name for comp in tariff.components if isinstance(comp, Grid) for name in comp.measures}
        - {"quantity"}
    )
    measures = {name: measure_values(name, m, exempt_all)[0][c] for name in measure_names}
    measures["quantity"] = qty
    pop = m.population[c]
    floor = tariff.limits.floor_cents
    cap = np.full(c.shape[0], -1, dtype=np.int64)
    if tariff.limits.cap_cents is not None:
        cap[:] = tariff.limits.cap_cents
    if tariff.limits.cap_per_inhabitant is not None:
        per_inh = mul_div_half_up(pop, tariff.limits.cap_per_inhabitant, PRICE_SCALE // 100)
        per_inh = np.where(pop > 0, per_inh, -1)
        cap = np.where((cap < 0) | ((per_inh >= 0) & (per_inh < cap)), per_inh, cap)
    step = 100 if tariff.rounding is Rounding.EURO else 1
    columns: dict[str, object] = {}
    result = AllocationResult(tariff, year, pl.DataFrame())
    if tariff.cost_sharing is None:
        comps = [component_amounts(comp, qty, kind, measures) for comp in tariff.components]
        base = np.sum(comps, axis=0) if comps else np.zeros(c.shape[0], dtype=np.int64)
        base = base.astype(np.int64)
        amount = mul_div_half_up(base, coef, COEF_SCALE)
        if tariff.prorata:
            amount = mul_div_half_up(amount, days, diy)
        limit = np.full(c.shape[0], LIMIT_NONE, dtype=np.int8)
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
        for i, comp_amount in enumerate(comps):
            columns[f"component_{i + 1}_cents"] = comp_amount
        rule = "tarif"
        columns["base_cents"] = base
    else:
        amount, limit = _share_cost(tariff, result, qty, kind, coef, days, exempt, floor, cap, step)
        rule = "repartition"
    gathered = m.frame[c]
    lines = pl.DataFrame(
        {
            "service": tariff.service,
            "year": year,
            "member_id": gathered["id"],
            "member_name": gathered["name"],
            "kind": gathered["kind"],
            "payer_id": m.frame["id"][payer],
            "issuer_id": "",
            "rule": rule,
            "quantity": qty,
            "population": pop,
            "coefficient": coef,
            "days": days,
            "days_in_year": diy,
            "exemption": pl.Series([e.label for e in tariff.exemptions] + [""], dtype=pl.String)[
                np.where(exempt >= 0, exempt, len(tariff.exemptions))
            ],
            "limit": pl.Series(LIMIT_NAMES, dtype=pl.String)[limit],
            "amount_cents": np.asarray(amount, dtype=np.int64),
            **{f"measure_{k}": v for k, v in measures.items() if k != "quantity"},
            **columns,
        }
    )
    lines = lines.with_columns(
        pl.col(name).cast(LINE_SCHEMA.get(name, pl.Int64)) for name in lines.columns
    )
    extra = [_contribution_lines(tariff, result, inputs)]
    rebill = cons["rebill"]
    if rebill.null_count() < rebill.len():
        extra.append(rebill_lines(tariff, m, c, payer, rebill, np.asarray(amount), exempt))
    frames = [lines, *(f for f in extra if f.height)]
    result.lines = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else lines
    return result


def _share_cost(
    tariff: Tariff,
    result: AllocationResult,
    qty: IntArray,
    kind: IntArray | np.ndarray,
    coef: IntArray,
    days: IntArray,
    exempt: IntArray,
    floor: int | None,
    cap: IntArray,
    step: int,
) -> tuple[IntArray, npt.NDArray[np.int8]]:
    cs = tariff.cost_sharing
    assert cs is not None
    net = cs.cost_cents
    for sub in cs.subsidies:
        value = (
            half_up_div(cs.cost_cents * sub.share, COEF_SCALE)
            if sub.share is not None
            else int(sub.amount_cents or 0)
        )
        result.subsidies.append((sub.label, value))
        net -= value
    if net < 0:
        raise InputError(f"{tariff.source} : les subventions dépassent le coût ({tariff.service})")
    result.net_cost_cents = net
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
    result.keys = key
    result.key_total = int(key.sum())
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
    result.unallocated_cents = net - int(amount.sum())
    return amount.astype(np.int64), limit


def _unless_constant(factor: IntArray) -> IntArray:
    if factor.size and (factor == factor[0]).all():
        return np.ones_like(factor)
    return factor


def _contribution_lines(tariff: Tariff, result: AllocationResult, inputs: Inputs) -> pl.DataFrame:
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
                    "rule": "contribution",
                    "detail": sub.label,
                    "amount_cents": int(sub.amount_cents or 0),
                }
            )
    schema = {"year": pl.Int32, "amount_cents": pl.Int64}
    return pl.DataFrame(rows, schema_overrides=schema) if rows else pl.DataFrame()


__all__ = ["KIND_INDEX", "AllocationResult", "Inputs", "allocate", "allocate_many"]
