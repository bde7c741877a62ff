"""Benchmark of the allocation engine on a synthetic national operator.

~35,000 communes, 1,255 EPCIs, ~70,000 establishments, 30 services, 12 months (~6M usage rows),
seeded. Every contender gets the same input: the usage rows with their member and service ids
dictionary-encoded (integer codes and the dictionary of the ids, sorted: what a reader of a
database's integer keys hands over, ``mutualis.engine.frames.coded_usage``) — a ``pl.Enum`` column
for the engine and Polars, pandas' categoricals, the codes and their dictionaries as tables for
DuckDB (which would otherwise turn the dictionary back into 6 M strings). Prints:
(a) the full year with the simple pro-rata rule by the engine, and the same rule written as a
    competent user would in idiomatic pandas, Polars lazy and DuckDB SQL, each checked line by
    line against the engine (exact cents, largest remainder); the contenders run in interleaved
    turns, each figure is the best of ``--repeat`` turns; the ratio engine / best baseline
    (goal ≤ 0.5, issue 12); and the engine on the same rows with ids as strings, for reference;
(b) the time of the full rule set (goal < 2 s);
(c) the peak memory of the national run by the engine alone (in its own process, goal < 2 GiB),
    and of the benchmark's process (with the baselines' copies of the data).

Times are the best of ``--repeat`` runs (default 5; the machine may be shared: the load average is
printed with the figures).

Run: .venv/bin/python bench/bench_allocation.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl

from mutualis.engine import Inputs, allocate_many, parse_tariff
from mutualis.engine.frames import encoded_usage
from mutualis.engine.model import MEMBER_SCHEMA, SUBSCRIPTION_SCHEMA, USAGE_SCHEMA
from mutualis.engine.tariff import Tariff

SEED = 20260101
YEAR = 2026
# Issue 12: the engine at most half the time of the best honest baseline.
GOAL_RATIO = 0.5
# Issue 12: the full rule set under 2 s.
GOAL_FULL_S = 2.0
# Issue 12: the peak memory of the national run under 2 GiB.
GOAL_MEMORY_MIB = 2048
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


def net_costs() -> dict[str, int]:
    """Net cost (cents) of each service under ``simple_tariffs``."""
    return {f"svc{s:02d}": (50_000 + s) * 100 for s in range(N_SERVICES)}


# The baselines below compute the simple pro-rata rule as a competent user of each tool would
# write it, on the same frames: per (service, member) the quantity of the last month with
# records (several records of that month add up), lines of zero quantity dropped, the net cost
# split in proportion, the cents left given one by one to the largest remainders, ties to the
# smallest member id. Each is checked line by line against the engine.


def pandas_baseline(usage: pd.DataFrame, cost: dict[str, int]) -> pd.DataFrame:
    """Idiomatic pandas: one group-by for the last month's quantity, window sums per service."""
    year = usage[usage["year"] == YEAR]
    keys = ["service", "member_id"]
    last_month = year.groupby(keys, sort=False)["month"].transform("max")
    lines = (
        year[year["month"] == last_month]
        .groupby(keys, sort=False, as_index=False)["quantity"]
        .sum()
    )
    lines = lines[lines["quantity"] > 0]
    net = lines["service"].map(cost).astype("int64")
    by_service = lines.groupby("service", sort=False)
    product = lines["quantity"] * net
    total = by_service["quantity"].transform("sum")
    share, rest = product // total, product % total
    left = net - share.groupby(lines["service"], sort=False).transform("sum")
    lines = lines.assign(share=share, rest=rest, left=left).sort_values(
        ["service", "rest", "member_id"], ascending=[True, False, True]
    )
    rank = lines.groupby("service", sort=False).cumcount()
    amount = lines["share"] + (rank < lines["left"]).astype("int64")
    return lines[["service", "member_id"]].assign(amount=amount)


def polars_baseline(usage: pl.DataFrame, cost: dict[str, int]) -> pl.DataFrame:
    """Polars lazy: the last month by a window, one group-by, windows per service, one sort."""
    quantity, month = pl.col("quantity"), pl.col("month")
    return (
        usage.lazy()
        .filter(pl.col("year") == YEAR)
        .filter(month == month.max().over("service", "member_id"))
        .group_by("service", "member_id")
        .agg(quantity.sum())
        .filter(quantity > 0)
        .with_columns(net=pl.col("service").replace_strict(cost, return_dtype=pl.Int64))
        .with_columns(product=quantity * pl.col("net"), total=quantity.sum().over("service"))
        .with_columns(
            share=pl.col("product") // pl.col("total"), rest=pl.col("product") % pl.col("total")
        )
        .with_columns(left=pl.col("net") - pl.col("share").sum().over("service"))
        .sort(["service", "rest", "member_id"], descending=[False, True, False])
        .with_columns(rank=pl.int_range(pl.len()).over("service"))
        .select(
            "service",
            "member_id",
            amount=pl.col("share") + (pl.col("rank") < pl.col("left")).cast(pl.Int64),
        )
        .collect()
    )


DUCKDB_SQL = """
WITH monthly AS (
    SELECT service, member, month, sum(quantity)::BIGINT AS quantity
    FROM usage WHERE year = $year
    GROUP BY ALL
), lines AS (
    SELECT service, member, arg_max(quantity, month) AS quantity
    FROM monthly
    GROUP BY ALL
    HAVING quantity > 0
), totals AS (
    SELECT service, sum(quantity)::BIGINT AS total FROM lines GROUP BY service
), shares AS (
    SELECT service, member, net,
           (quantity * net) // total AS share, (quantity * net) % total AS rest
    FROM lines JOIN totals USING (service) JOIN cost USING (service)
), lefts AS (
    SELECT service, any_value(net) - sum(share)::BIGINT AS cents_left
    FROM shares GROUP BY service
)
SELECT service, member,
       share + (row_number() OVER (PARTITION BY service ORDER BY rest DESC, member)
                <= cents_left)::BIGINT AS amount
FROM shares JOIN lefts USING (service)
"""


def duckdb_tables(
    con: duckdb.DuckDBPyConnection, usage: pl.DataFrame, cost: dict[str, int]
) -> dict[str, pl.Series]:
    """The coded rows as DuckDB reads them best: the integer codes (the dictionaries are sorted,
    so a member's code orders as its id) and the net cost per service code; returns the
    dictionaries that decode the codes of the result."""
    con.register(
        "usage",
        usage.select(
            pl.col("service").to_physical(),
            pl.col("member_id").to_physical().alias("member"),
            "year",
            "month",
            "quantity",
        ).to_arrow(),
    )
    services = usage["service"].dtype.categories.to_list()  # type: ignore[attr-defined]
    con.register(
        "cost",
        pl.DataFrame(
            {"service": range(len(services)), "net": [cost[s] for s in services]},
            schema={"service": usage["service"].to_physical().dtype, "net": pl.Int64},
        ).to_arrow(),
    )
    return {
        name: usage[column].dtype.categories.cast(usage[column].dtype)  # type: ignore[attr-defined]
        for name, column in (("service", "service"), ("member", "member_id"))
    }


def duckdb_baseline(con: duckdb.DuckDBPyConnection, decode: dict[str, pl.Series]) -> pl.DataFrame:
    """DuckDB SQL on the codes (Arrow tables registered once): hash aggregates, one window for
    the cents; the codes decoded back to the ids at the end."""
    out = pl.from_arrow(con.sql(DUCKDB_SQL, params={"year": YEAR}).to_arrow_table())
    assert isinstance(out, pl.DataFrame)
    return out.select(
        decode["service"].gather(out["service"]).alias("service"),
        decode["member"].gather(out["member"]).alias("member_id"),
        "amount",
    )


def sorted_lines(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        pl.col("service").cast(pl.String),
        pl.col("member_id").cast(pl.String),
        pl.col("amount").cast(pl.Int64),
    ).sort("service", "member_id")


def timed(label: str, fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    """Run ``fn`` ``repeat`` times; print and return the last value and the best time."""
    times = []
    value = None
    for _ in range(repeat):
        value = None  # the previous run's result is freed before the next one
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    elapsed = min(times)
    spread = f"  (median {statistics.median(times):.3f}, n={repeat})" if repeat > 1 else ""
    print(f"  {label:<44} {elapsed:7.3f} s{spread}")
    return value, elapsed


def load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mib(field: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in MiB; elsewhere the
    peak from getrusage (which, on Linux, a process started by a larger one inherits through
    exec: hence /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss_mib()


def current_rss_mib() -> float:
    return _status_mib("VmRSS")


def peak_rss_mib() -> float:
    return _status_mib("VmHWM")


def engine_memory(
    members: pl.DataFrame, subscriptions: pl.DataFrame, usage: pl.DataFrame
) -> tuple[float, float]:
    """Peak RSS (MiB) of a process that reads the inputs and runs the engine (simple pro rata,
    then the full rule set), and its resident memory once the inputs are read: the baselines'
    copies of the data are kept out of the measure."""
    with tempfile.TemporaryDirectory(prefix="mutualis-bench-") as tmp:
        for name, frame in (("members", members), ("subscriptions", subscriptions)):
            frame.write_ipc(Path(tmp) / f"{name}.arrow")
        usage.write_ipc(Path(tmp) / "usage.arrow")
        out = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--engine-only", tmp],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    peak, loaded = (float(v) for v in out.split())
    return peak, loaded


def engine_only(folder: str) -> None:
    """The child of :func:`engine_memory`: prints its peak RSS and its RSS after reading."""
    members, subscriptions, usage = (
        pl.read_ipc(Path(folder) / f"{name}.arrow")
        for name in ("members", "subscriptions", "usage")
    )
    loaded = current_rss_mib()
    allocate_many(simple_tariffs(), Inputs.build(members, None, usage), YEAR)
    allocate_many(full_tariffs(), Inputs.build(members, subscriptions, usage), YEAR)
    print(peak_rss_mib(), loaded)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark of the allocation engine.")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each timing")
    parser.add_argument("--engine-only", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.engine_only:
        engine_only(args.engine_only)
        return 0
    repeat = args.repeat
    print(f"Synthetic operator (seed {SEED})…")
    start = time.perf_counter()
    members, subscriptions, usage = synthetic_operator()
    print(
        f"  {members.height:,} members, {usage.height:,} usage rows, "
        f"{subscriptions.height:,} subscriptions, built in {time.perf_counter() - start:.1f} s"
    )
    cost = net_costs()
    # The input every contender gets: the ids dictionary-encoded (the members' ids, sorted).
    strings = usage
    usage = encoded_usage(strings, members["id"].sort())
    usage_pd = usage.to_pandas()  # through Arrow: the dictionaries become pandas categoricals
    con = duckdb.connect()
    con.execute(f"SET threads = {os.cpu_count()}")
    decode = duckdb_tables(con, usage, cost)

    print(f"(a) simple pro rata, full year, 30 services (load average {load()})")
    tariffs = simple_tariffs()

    def engine_simple() -> list:  # type: ignore[type-arg]
        return allocate_many(tariffs, Inputs.build(members, None, usage), YEAR)

    contenders = {
        "engine (polars/numpy, exact cents)": engine_simple,
        "pandas (one group-by, categoricals)": lambda: pandas_baseline(usage_pd, cost),
        "Polars lazy": lambda: polars_baseline(usage, cost),
        "DuckDB SQL (codes)": lambda: duckdb_baseline(con, decode),
        "engine, the same rows with ids as strings": lambda: allocate_many(
            tariffs, Inputs.build(members, None, strings), YEAR
        ),
    }
    engine_label, *baseline_labels, strings_label = contenders
    values = {label: run() for label, run in contenders.items()}  # warm-up
    runs: dict[str, list[float]] = {label: [] for label in contenders}
    for _ in range(repeat):  # interleaved turns: each contender sees the same load
        for label, run in contenders.items():
            values[label] = None
            start = time.perf_counter()
            values[label] = run()
            runs[label].append(time.perf_counter() - start)
    times = {label: min(elapsed) for label, elapsed in runs.items()}

    def show(label: str) -> None:
        print(
            f"  {label:<44} {times[label]:7.3f} s  "
            f"(median {statistics.median(runs[label]):.3f}, n={repeat})"
        )

    results = values[engine_label]
    engine_lines = sorted_lines(
        pl.concat([r.lines.select("service", "member_id", "amount_cents") for r in results]).rename(
            {"amount_cents": "amount"}
        )
    )
    expected = sum(cost.values())
    engine_total = int(engine_lines["amount"].sum())
    show(engine_label)
    print(f"  engine: {engine_lines.height:,} lines, {engine_total:,} c (net costs {expected:,} c)")
    ok = engine_total == expected
    for label in baseline_labels:
        value = values[label]
        show(label)
        lines = sorted_lines(pl.from_pandas(value) if isinstance(value, pd.DataFrame) else value)
        same = lines.equals(engine_lines)
        print(f"  {'':<44} {lines.height:,} lines — identical to the engine, to the cent: {same}")
        ok &= same
    show(strings_label)
    same = sorted_lines(
        pl.concat(
            [r.lines.select("service", "member_id", "amount_cents") for r in values[strings_label]]
        ).rename({"amount_cents": "amount"})
    ).equals(engine_lines)
    print(f"  {'':<44} identical to the engine on the coded rows: {same}")
    ok &= same
    values.clear()
    t_engine = times[engine_label]
    best = min(baseline_labels, key=times.__getitem__)
    for label in baseline_labels:
        print(f"  ratio engine / {label:<37} {t_engine / times[label]:5.2f}")
    ratio = t_engine / times[best]
    verdict = "ok" if ratio <= GOAL_RATIO else "MISSED"
    print(
        f"  ratio engine / best baseline ({best}) = {ratio:.2f} ; goal ≤ {GOAL_RATIO} → {verdict}"
        f"  (load average {load()})"
    )

    print("(b) full rule set (cost sharing + subsidies + solidarity + exemptions + caps, tiers,")
    print("    grids, quotas, euro rounding, scopes, pro rata, re-billing), 30 services")
    full = full_tariffs()
    inputs, t_inputs = timed(
        "inputs (members, subscriptions, usage)",
        lambda: Inputs.build(members, subscriptions, usage),
        repeat,
    )
    full_results, t_full = timed("allocation", lambda: allocate_many(full, inputs, YEAR), repeat)
    total = t_inputs + t_full
    print(f"  {'inputs + allocation':<44} {total:7.3f} s")
    lines = sum(r.lines.height for r in full_results)
    verdict = "ok" if total < GOAL_FULL_S else "MISSED"
    print(
        f"  {lines:,} lines ; goal (inputs + allocation) < {GOAL_FULL_S:g} s → {verdict}"
        f"  (load average {load()})"
    )
    sample = full_results[0]
    timed("explanations of one service (lazy)", sample.explanations)
    for r in full_results:
        if r.net_cost_cents is not None:
            ok &= r.total_cents("repartition") + r.unallocated_cents == r.net_cost_cents

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    con.close()  # the baselines' data freed before the engine's own measure
    contenders.clear()
    usage_pd = results = full_results = inputs = None
    print("(c) peak memory (max RSS)")
    engine_peak, loaded = engine_memory(members, subscriptions, usage)
    print(
        f"  national run by the engine alone, in its own process (inputs read from Arrow IPC "
        f"files, resident {loaded:,.0f} MiB; simple pro rata then the full rule set): "
        f"{engine_peak:,.0f} MiB ; goal < {GOAL_MEMORY_MIB:,} MiB → "
        f"{'ok' if engine_peak < GOAL_MEMORY_MIB else 'MISSED'}"
    )
    print(f"  this process (the baselines' copies of the usage included): {peak:,.0f} MiB")
    ok &= engine_peak < GOAL_MEMORY_MIB
    if not ok:
        print("ERROR: the engine and the baseline disagree", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
