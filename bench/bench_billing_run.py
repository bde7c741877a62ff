"""Benchmark: a large operator's billing run, database → computed run → issued titres.

Run with `.venv/bin/python bench/bench_billing_run.py` (`make bench` runs every bench_*.py).
Builds a synthetic operator (BENCH_PAYERS payers, default 10 000, each subscribing to
BENCH_SERVICES services, default 10: about 100 000 charge lines) in a fresh SQLite database,
or in a fresh PostgreSQL database created beside `BENCH_DATABASE_URL` when it is set (and
dropped afterwards). Prints the time of each phase — load (the engine's frames read from the
database), engine (the tariffs applied, explanations included), write (charge lines, snapshot
and fingerprint stored), issue (titres and their lines) — and the total.
"""

import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NATIONAL = "--national" in sys.argv
# The national year (issue 12): 106,256 members, 12 services each, about 1.3 M charge lines.
NATIONAL_PAYERS, NATIONAL_SERVICES, NATIONAL_GOAL = 106_256, 12, 60.0
NATIONAL_TIMEOUT = 900  # seconds: `make bench` stays bounded
if NATIONAL:  # BENCH_NATIONAL_PAYERS: a smaller national year, to profile it
    NATIONAL_PAYERS = int(os.environ.get("BENCH_NATIONAL_PAYERS", NATIONAL_PAYERS))
PAYERS = NATIONAL_PAYERS if NATIONAL else int(os.environ.get("BENCH_PAYERS", "10000"))
# BENCH_PROFILE=FILE: the measured phases under cProfile, stats written to FILE.
PROFILE = os.environ.get("BENCH_PROFILE", "")
SERVICES = NATIONAL_SERVICES if NATIONAL else int(os.environ.get("BENCH_SERVICES", "10"))
YEAR = 2026
PG_URL = os.environ.get("BENCH_DATABASE_URL", "")
PG_NAME = f"mutualis_bench_{os.getpid()}"

os.environ["DJANGO_SETTINGS_MODULE"] = "mutualis.config.settings.test"
if PG_URL:
    os.environ["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + PG_NAME
else:
    WORKDIR = Path(tempfile.mkdtemp(prefix="mutualis-bench-run-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
        c.execute(sql)


if PG_URL:
    _admin(f"CREATE DATABASE {PG_NAME}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from mutualis.billing.models import (  # noqa: E402
    AllocationRun,
    ChargeLine,
    InvoiceLine,
    Tariff,
    TariffStatus,
)
from mutualis.billing.services import runs  # noqa: E402
from mutualis.billing.services.invoices import invoices_issue  # noqa: E402
from mutualis.catalog.models import Service, Subscription  # noqa: E402
from mutualis.members.models import Member  # noqa: E402
from mutualis.metering.models import UsageRecord  # noqa: E402

UNIT_PRICE = """service = "{code}"
year = {year}
unit = "postes"

[usage]
mode = "flow"

[[components]]
type = "unit_price"
price = {price}

[[exemptions]]
kinds = ["commune"]
population_below = 200
"""
FLAT = """service = "{code}"
year = {year}

[[components]]
type = "flat"
amount = {price}
"""


def build_national() -> None:
    """The national year, inserted set-based (ids given, no model instance): PAYERS communes,
    SERVICES services with an adopted tariff, every commune subscribing to every service with
    one reading each — outside the measured phases."""
    from django.db import transaction
    from django.utils import timezone

    from mutualis.billing.bulk import insert_rows

    now = timezone.now()
    services = Service.objects.bulk_create(
        Service(
            code=f"svc{s}",
            name=f"Service {s:02d}",
            category="infrastructure",
            unit="user_account",
            usage_kind="flow",
            yearly_reading="sum",
        )
        for s in range(SERVICES)
    )
    Tariff.objects.bulk_create(
        Tariff(
            service=service,
            year=YEAR,
            text=(UNIT_PRICE if s % 2 == 0 else FLAT).format(
                code=service.code, year=YEAR, price=f"{12 + s}.40"
            ),
            status=TariffStatus.ADOPTED,
        )
        for s, service in enumerate(services)
    )
    ids = range(1, PAYERS + 1)
    start = dt.date(2020, 1, 1)
    with transaction.atomic():
        insert_rows(
            Member,
            ("id", "created_at", "updated_at", "kind", "establishment_kind", "name",
             "search_name", "siren", "insee_code", "population", "email", "address"),
            (
                (i, now, now, "commune", "", f"Commune {i:06d}", f"commune {i:06d}", "", "",
                 100 + (i * 37) % 20000, "", "")
                for i in ids
            ),
        )  # fmt: skip
        insert_rows(
            Subscription,
            ("created_at", "updated_at", "member", "service", "scope", "rebill_key",
             "rebill_own_key", "start_date"),
            ((now, now, i, sv.pk, "self", "", "", start) for sv in services for i in ids),
        )  # fmt: skip
        insert_rows(
            UsageRecord,
            ("created_at", "updated_at", "member", "service", "period", "year", "month",
             "quantity", "source", "note"),
            (
                (now, now, i, sv.pk, "month", YEAR, 1 + (i % 12),
                 Decimal(1 + (i * 7919 + s * 104729) % 40000) / 4, "import", "")
                for s, sv in enumerate(services)
                for i in ids
            ),
        )  # fmt: skip


def build_operator() -> None:
    """PAYERS communes, SERVICES services with an adopted tariff, every commune subscribing to
    every service with one reading each, of up to 40 000 distinct quantities (so that the lines
    of a unit price are explained one by one), in bulk, outside the measured phases."""
    members = Member.objects.bulk_create(
        Member(kind="commune", name=f"Commune {i:05d}", population=100 + (i * 37) % 20000)
        for i in range(PAYERS)
    )
    services = Service.objects.bulk_create(
        Service(
            code=f"svc{s}",
            name=f"Service {s:02d}",
            category="infrastructure",
            unit="user_account",
            usage_kind="flow",
            yearly_reading="sum",
        )
        for s in range(SERVICES)
    )
    Tariff.objects.bulk_create(
        Tariff(
            service=service,
            year=YEAR,
            text=(UNIT_PRICE if s % 2 == 0 else FLAT).format(
                code=service.code, year=YEAR, price=f"{12 + s}.40"
            ),
            status=TariffStatus.ADOPTED,
        )
        for s, service in enumerate(services)
    )
    start = dt.date(2020, 1, 1)
    Subscription.objects.bulk_create(
        (
            Subscription(member=m, service=service, start_date=start)
            for service in services
            for m in members
        ),
        batch_size=5000,
    )
    UsageRecord.objects.bulk_create(
        (
            UsageRecord(
                member=m,
                service=service,
                period="month",
                year=YEAR,
                month=1 + (i % 12),
                quantity=Decimal(1 + (i * 7919 + s * 104729) % 40000) / 4,
            )
            for s, service in enumerate(services)
            for i, m in enumerate(members)
        ),
        batch_size=5000,
    )


class Timer:
    """Wraps a module function and adds up the time spent in it (wall clock and CPU of this
    process: on a shared machine the CPU time says what the work costs, the wall clock what
    was waited)."""

    def __init__(self, module, name: str) -> None:
        self.seconds = 0.0
        self.cpu = 0.0
        original = getattr(module, name)

        def timed(*args, **kwargs):
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
                self.cpu += time.process_time() - cpu

        setattr(module, name, timed)


def main() -> int:
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    (build_national if NATIONAL else build_operator)()
    label = "national year" if NATIONAL else "operator"
    print(
        f"{label}: {PAYERS} payers, {SERVICES} services, built in "
        f"{time.perf_counter() - start:.1f} s ({connection.vendor})"
    )
    load = Timer(runs, "build_frames")
    engine = Timer(runs, "compute")
    run = AllocationRun.objects.create(year=YEAR)
    profiler = None
    if PROFILE:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start, cpu = time.perf_counter(), time.process_time()
    runs.run_compute(run_id=run.pk)
    compute_seconds, compute_cpu = time.perf_counter() - start, time.process_time() - cpu
    run.refresh_from_db()
    if run.error:
        print(f"the run failed: {run.error}")
        return 1
    run = runs.run_validate(run=run)
    start, cpu = time.perf_counter(), time.process_time()
    invoices = invoices_issue(run=run, issued_on=dt.date.today())
    issue_seconds, issue_cpu = time.perf_counter() - start, time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(PROFILE)
    write_seconds = compute_seconds - load.seconds - engine.seconds
    write_cpu = compute_cpu - load.cpu - engine.cpu
    lines = ChargeLine.objects.filter(run=run).count()
    invoice_lines = InvoiceLine.objects.filter(invoice__run=run).count()
    print(f"lines: {lines} charge lines, {len(invoices)} titres, {invoice_lines} invoice lines")
    print("phase    wall clock   CPU of this process")
    for label, wall, used in (
        ("load", load.seconds, load.cpu),
        ("engine", engine.seconds, engine.cpu),
        ("write", write_seconds, write_cpu),
        ("issue", issue_seconds, issue_cpu),
        ("total", compute_seconds + issue_seconds, compute_cpu + issue_cpu),
    ):
        print(f"{label:<7} {wall:7.2f} s    {used:7.2f} s")
    total = compute_seconds + issue_seconds
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process (max RSS): {peak:,.0f} MiB")
    if NATIONAL:
        verdict = "ok" if total < NATIONAL_GOAL else "MISSED"
        print(f"national year, database to issued titres: goal < {NATIONAL_GOAL:.0f} s → {verdict}")
    elif os.environ.get("BENCH_NATIONAL", "1") != "0":
        return national()
    return 0


def national() -> int:
    """The national year in its own process and database (`--national`), bounded in time."""
    print(f"== the national year ({NATIONAL_PAYERS:,} members, {NATIONAL_SERVICES} services)")
    sys.stdout.flush()
    try:
        return subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--national"], timeout=NATIONAL_TIMEOUT, check=False
        ).returncode
    except subprocess.TimeoutExpired:
        print(f"the national year did not finish within {NATIONAL_TIMEOUT} s: MISSED")
        return 1


if __name__ == "__main__":
    try:
        code = main()
    finally:
        connection.close()
        if PG_URL:
            _admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
        else:  # the national year's file weighs about 1 GB
            shutil.rmtree(WORKDIR, ignore_errors=True)
    sys.exit(code)
