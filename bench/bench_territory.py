"""Benchmark: load the whole of France into a fresh SQLite database, then reload it.

Run with `.venv/bin/python bench/bench_territory.py` (`make bench` runs every bench_*.py).
Prints the timings of the first load and of the idempotent second run, the loaded counts, and
ratios against two baselines measured in the same run: reading the shipped files, and a plain
sqlite3 executemany insert of the same rows. Exits non-zero when a goal is missed.
"""

import os
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORKDIR = Path(tempfile.mkdtemp(prefix="mutualis-bench-territory-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "mutualis.config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from mutualis.territory.models import Commune, Departement, Epci, Region  # noqa: E402
from mutualis.territory.services import territory_load  # noqa: E402
from mutualis.territory.sources import read_derived  # noqa: E402

GOAL_SECONDS = 60.0
EXPECTED = {"communes": 34969, "epcis": 1255}


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def sqlite_baseline(data) -> float:
    """Insert the same rows with plain sqlite3 executemany, in one transaction."""
    connection = sqlite3.connect(WORKDIR / "baseline.sqlite3")
    connection.executescript(
        """
        CREATE TABLE region (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT);
        CREATE TABLE departement (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT,
            region TEXT);
        CREATE TABLE epci (id INTEGER PRIMARY KEY, siren TEXT UNIQUE, name TEXT, kind TEXT,
            population INTEGER);
        CREATE TABLE commune (id INTEGER PRIMARY KEY, insee_code TEXT UNIQUE, siren TEXT,
            name TEXT, population INTEGER, departement TEXT, epci TEXT);
        """
    )
    start = time.perf_counter()
    with connection:
        connection.executemany("INSERT INTO region (code, name) VALUES (?, ?)", data.regions)
        connection.executemany(
            "INSERT INTO departement (code, name, region) VALUES (?, ?, ?)", data.departements
        )
        connection.executemany(
            "INSERT INTO epci (siren, name, kind, population) VALUES (?, ?, ?, ?)", data.epcis
        )
        connection.executemany(
            "INSERT INTO commune (insee_code, siren, name, population, departement, epci)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            data.communes,
        )
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def main() -> int:
    call_command("migrate", "territory", verbosity=0)

    data, parse_time = timed(read_derived)
    baseline_insert = sqlite_baseline(data)

    first, first_time = timed(territory_load)
    counts = {
        "regions": Region.objects.count(),
        "departements": Departement.objects.count(),
        "epcis": Epci.objects.count(),
        "communes": Commune.objects.count(),
    }
    second, second_time = timed(territory_load)

    # Worst case of a new millésime: every population changes.
    bumped = replace(
        data,
        epcis=[row._replace(population=row.population + 1) for row in data.epcis],
        communes=[row._replace(population=row.population + 1) for row in data.communes],
    )
    third, third_time = timed(territory_load, data=bumped)

    print(f"baseline: read shipped files        {parse_time:7.2f} s")
    print(f"baseline: sqlite3 executemany       {baseline_insert:7.2f} s")
    print(f"first load (whole of France)        {first_time:7.2f} s")
    print(f"second load (idempotent)            {second_time:7.2f} s")
    print(f"third load (all populations change) {third_time:7.2f} s")
    print("counts: " + ", ".join(f"{count} {kind}" for kind, count in counts.items()))
    print("first run:  " + "; ".join(first.lines()))
    print("second run: " + "; ".join(second.lines()))
    print("third run:  " + "; ".join(third.lines()))
    base = parse_time + baseline_insert
    print(
        f"ratio first load / (read + sqlite3 insert) baseline: {first_time / base:.1f}x; "
        f"second / baseline: {second_time / base:.1f}x"
    )
    print(f"goal: first load < {GOAL_SECONDS:.0f} s")

    failures = []
    for kind, expected in EXPECTED.items():
        if counts[kind] != expected:
            failures.append(f"{kind}: {counts[kind]} loaded, {expected} expected")
    if first_time >= GOAL_SECONDS:
        failures.append(f"first load took {first_time:.1f} s (goal {GOAL_SECONDS:.0f} s)")
    if second.changed:
        failures.append("the second run changed rows")
    if third.communes.updated != len(data.communes):
        failures.append(f"third run updated {third.communes.updated} communes")
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
