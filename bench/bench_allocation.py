"""Benchmark of the allocation engine on a synthetic national operator.

~35,000 communes, 1,255 EPCIs, ~70,000 establishments, 30 services, 12 months (~6M usage rows),
seeded. Prints:
(a) the full year with the simple pro-rata rule vs a plain pandas group-by baseline computing
    the same charges in the same run (times and ratio, goal ≤ 1.5), and checks they agree;
(b) the time of the full rule set (goal < 3 s);
(c) the peak memory of the process.

Engine times are the median of ``--repeat`` runs (default 3; the machine may be shared).

Run: .venv/bin/python bench/bench_allocation.py [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from datetime import date

import numpy as np
import pandas as pd
import polars as pl

from mutualis.engine import Inputs, allocate_many, parse_tariff
from mutualis.engine.model import MEMBER_SCHEMA, SUBSCRIPTION_SCHEMA, USAGE_SCHEMA
from mutualis.engine.tariff import Tariff

SEED = 20260101
YEAR = 2026
N_EPCI, N_COMMUNES, N_ESTABLISHMENTS, N_SERVICES = 1_255, 35_000, 70_000, 30
ROWS_PER_SERVICE = 200_000  # × 30 services = 6M usage rows


def synthetic_operator() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(SEED)
    epci_ids = [f"E{i:04d}" for i in range(N_EPCI)]
    commune_ids = [f"C{i:05d}" for i in range(N_COMMUNES)]
    est_ids = [f"S{i:05d}" for i in range(N_ESTABLISHMENTS)]
    commune_epci = rng.integers(0, N_EPCI, N_COMMUNES)
    commune_pop = np.rint(rng.lognormal(6.2, 1.2, N_COMMUNES)).astype(np.int64) + 20
    epci_pop = np.bincount(commune_epci, weights=commune_pop, minlength=N_EPCI).astype(np.int64)
    est_parent = rng.integers(0, N_COMMUNES, N_ESTABLISHMENTS)
    members = pl.DataFrame(
        {
            "id": ["D00", *epci_ids, *commune_ids, *est_ids],
            "name": ["Département", *epci_ids, *commune_ids, *est_ids],
            "kind": ["departement"]
            + ["epci"] * N_EPCI
            + ["commune"] * N_COMMUNES
            + ["establishment"] * N_ESTABLISHMENTS,
            "population": np.concatenate(
                [[1_500_000], epci_pop, commune_pop, np.zeros(N_ESTABLISHMENTS, dtype=np.int64)]
            ),
            "parent_id": [None] * (1 + N_EPCI + N_COMMUNES) + [commune_ids[p] for p in est_parent],
            "epci_id": [None] * (1 + N_EPCI)
            + [epci_ids[e] for e in commune_epci]
            + [epci_ids[commune_epci[p]] for p in est_parent],
        },
        schema=MEMBER_SCHEMA,
    ).with_columns(
        pl.Series(
            "ind:fiscal_potential",
            np.concatenate(
                [
                    np.full(1 + N_EPCI, -1),
                    rng.integers(300, 1500, N_COMMUNES) * 10_000,
                    np.full(N_ESTABLISHMENTS, -1),
                ]
            ),
        )
        .replace(-1, None)
        .cast(pl.Int64)
    )
    ids = members["id"]
    months_per_member = 12
    users_per_service = ROWS_PER_SERVICE // months_per_member
    chunks = []
    for s in range(N_SERVICES):
        users = rng.choice(members.height - 1, users_per_service, replace=False) + 1
        base = rng.integers(1_000, 5_000_000, users_per_service)  # milli-units
        member_idx = np.repeat(users, months_per_member)
        month = np.tile(np.arange(1, 13, dtype=np.int8), users_per_service)
        qty = np.repeat(base, months_per_member) + rng.integers(0, 50_000, member_idx.size)
        chunks.append(
            pl.DataFrame(
                {
                    "member_id": ids.gather(member_idx),
                    "service": f"svc{s:02d}",
                    "year": np.full(member_idx.size, YEAR, dtype=np.int32),
                    "month": month,
                    "quantity": qty.astype(np.int64),
                },
                schema=USAGE_SCHEMA,
            )
        )
    usage = pl.concat(chunks)
    # Subscriptions for the full rule set: every user for itself, and a third of the EPCIs
    # with their communes and establishments (re-billed), some of them from 1 July.
    rows: dict[str, list[object]] = {c: [] for c in SUBSCRIPTION_SCHEMA}
    for s in range(N_SERVICES):
        for i, epci in enumerate(epci_ids[s % 3 :: 3]):
            rows["member_id"].append(epci)
            rows["service"].append(f"svc{s:02d}")
            rows["scope"].append("with_establishments" if i % 2 else "with_communes")
            rows["start"].append(date(YEAR, 7, 1) if i % 5 == 0 else None)
            rows["end"].append(None)
            rows["establishments"].append([])
            rows["rebill"].append(["population", "usage", "equal", None][i % 4])
            rows["rebill_own"].append(None)
    epci_subs = pl.DataFrame(rows, schema=SUBSCRIPTION_SCHEMA)
    own = (
        usage.select("member_id", "service")
        .unique()
        .with_columns(
            pl.lit("self").alias("scope"),
            pl.lit(None, dtype=pl.Date).alias("start"),
            pl.lit(None, dtype=pl.Date).alias("end"),
            pl.lit([], dtype=pl.List(pl.String)).alias("establishments"),
            pl.lit(None, dtype=pl.String).alias("rebill"),
            pl.lit(None, dtype=pl.String).alias("rebill_own"),
        )
    )
    subscriptions = pl.concat([epci_subs, own.select(list(SUBSCRIPTION_SCHEMA))])
    return members, subscriptions, usage


def simple_tariffs() -> list[Tariff]:
    return [
        parse_tariff(
            f'service = "svc{s:02d}"\nyear = {YEAR}\n[cost_sharing]\ncost = {50_000 + s}\n'
        )
        for s in range(N_SERVICES)
    ]


FULL_RULES = [
    """[cost_sharing]
cost = 180000
[[cost_sharing.subsidies]]
label = "FEDER"
share = 0.40
[[cost_sharing.subsidies]]
label = "Département"
amount = 20000
member = "D00"
[[exemptions]]
kinds = ["commune"]
population_below = 500
[solidarity]
measure = "fiscal_potential"
bands = [
  { below = 600, coefficient = 0.8 },
  { below = 1000, coefficient = 1 },
  { coefficient = 1.2 },
]
[limits]
cap = 900
""",
    """[[components]]
type = "flat"
amount = 30
by_kind = { epci = 300 }
[[components]]
type = "tiers"
bands = [{ upto = 500, price = 1.00 }, { upto = 2000, price = 0.80 }, { price = 0.50 }]
[[exemptions]]
kinds = ["commune"]
population_below = 300
[limits]
floor = 20
cap_per_inhabitant = 2
""",
    """[[components]]
type = "grid"
measures = ["quantity", "establishments"]
bounds = [[0, 500, 2000, 4000], [0, 2, 5, 20]]
base = 250
coefficients = [1, 1.25, 1.5, 1.75, 2, 2.25, 2.5]
[[exemptions]]
kinds = ["establishment"]
parent_population_below = 500
""",
    """rounding = "euro"
[usage]
mode = "flow"
[[components]]
type = "quota"
included = 100
fee = 15
price = 0.40
[solidarity]
bands = [
  { below = 500, coefficient = 0.5 },
  { below = 3500, coefficient = 1 },
  { coefficient = 1.3 },
]
""",
    """[usage]
year = "mean"
[[components]]
type = "unit_price"
price = 0.125
by_kind = { epci = 0.10 }
[[components]]
type = "tiers"
mode = "volume"
bands = [{ upto = 1000, price = 0.05 }, { price = 0.08 }]
""",
]


def full_tariffs() -> list[Tariff]:
    return [
        parse_tariff(f'service = "svc{s:02d}"\nyear = {YEAR}\n' + FULL_RULES[s % len(FULL_RULES)])
        for s in range(N_SERVICES)
    ]


def pandas_baseline(members: pd.DataFrame, usage: pd.DataFrame) -> pd.DataFrame:
    """The simple pro-rata rule with a plain pandas group-by: last month, largest remainder."""
    year = usage[usage["year"] == YEAR]
    monthly = year.groupby(["service", "member_id", "month"], as_index=False)["quantity"].sum()
    last = monthly.sort_values("month").groupby(["service", "member_id"], as_index=False).last()
    last = last[last["quantity"] > 0]
    cost = {f"svc{s:02d}": (50_000 + s) * 100 for s in range(N_SERVICES)}
    net = last["service"].map(cost).astype("int64")
    total = last.groupby("service")["quantity"].transform("sum")
    product = last["quantity"].astype("int64") * net
    last = last.assign(share=product // total, rest=product % total, net=net)
    left = last.groupby("service")["share"].transform("sum")
    last = last.assign(left=last["net"] - left)
    last = last.sort_values(["service", "rest", "member_id"], ascending=[True, False, True])
    rank = last.groupby("service").cumcount()
    last["amount"] = last["share"] + (rank < last["left"]).astype("int64")
    return last[["service", "member_id", "amount"]].sort_values(["service", "member_id"])


def to_pandas(frame: pl.DataFrame) -> pd.DataFrame:
    """Without pyarrow: column by column through numpy."""
    return pd.DataFrame({name: frame[name].to_numpy() for name in frame.columns})


def timed(label: str, fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    """Run ``fn`` ``repeat`` times; print and return the last value and the median time."""
    times = []
    value = None
    for _ in range(repeat):
        value = None  # the previous run's result is freed before the next one
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    elapsed = statistics.median(times)
    spread = f"  (min {min(times):.3f}, max {max(times):.3f}, n={repeat})" if repeat > 1 else ""
    print(f"  {label:<44} {elapsed:7.3f} s{spread}")
    return value, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark of the allocation engine.")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each engine timing")
    repeat = parser.parse_args(argv).repeat
    print(f"Synthetic operator (seed {SEED})…")
    start = time.perf_counter()
    members, subscriptions, usage = synthetic_operator()
    print(
        f"  {members.height:,} members, {usage.height:,} usage rows, "
        f"{subscriptions.height:,} subscriptions, built in {time.perf_counter() - start:.1f} s"
    )
    members_pd = to_pandas(members.select(["id", "kind", "population"]))
    usage_pd = to_pandas(usage)

    print("(a) simple pro rata, full year, 30 services")
    tariffs = simple_tariffs()

    def engine_simple() -> list:  # type: ignore[type-arg]
        return allocate_many(tariffs, Inputs.build(members, None, usage), YEAR)

    engine_simple()  # warm-up
    pandas_baseline(members_pd, usage_pd)
    results, t_engine = timed("engine (polars/numpy, exact cents)", engine_simple, repeat)
    baseline, t_pandas = timed(
        "pandas group-by baseline", lambda: pandas_baseline(members_pd, usage_pd)
    )
    print(f"  ratio engine / pandas = {t_engine / t_pandas:.2f} (goal ≤ 1.5)")
    engine_lines = pl.concat(
        [r.lines.select("service", "member_id", "amount_cents") for r in results]
    )
    engine_total = int(engine_lines["amount_cents"].sum())
    pandas_total = int(baseline["amount"].sum())
    expected = sum((50_000 + s) * 100 for s in range(N_SERVICES))
    same = (
        engine_lines.sort("service", "member_id")["amount_cents"].to_list()
        == baseline["amount"].tolist()
    )
    print(
        f"  totals: engine {engine_total:,} c, pandas {pandas_total:,} c, net costs {expected:,} c"
        f" — lines identical: {same}"
    )
    ok = engine_total == pandas_total == expected and same

    print("(b) full rule set (cost sharing + subsidies + solidarity + exemptions + caps, tiers,")
    print("    grids, quotas, euro rounding, scopes, pro rata, re-billing), 30 services")
    full = full_tariffs()
    inputs, t_inputs = timed(
        "inputs (members, subscriptions, usage)",
        lambda: Inputs.build(members, subscriptions, usage),
        repeat,
    )
    full_results, t_full = timed("allocation", lambda: allocate_many(full, inputs, YEAR), repeat)
    print(f"  {'inputs + allocation':<44} {t_inputs + t_full:7.3f} s")
    lines = sum(r.lines.height for r in full_results)
    print(f"  {lines:,} lines ; goal < 3 s → {'ok' if t_full < 3 else 'MISSED'}")
    sample = full_results[0]
    timed("explanations of one service (lazy)", sample.explanations)
    for r in full_results:
        if r.net_cost_cents is not None:
            ok &= r.total_cents("repartition") + r.unallocated_cents == r.net_cost_cents

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(c) peak memory (max RSS): {peak:,.0f} MiB")
    if not ok:
        print("ERROR: the engine and the baseline disagree", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
