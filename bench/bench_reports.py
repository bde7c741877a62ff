"""Benchmark: every member's one-page report « Ce que la mutualisation vous a apporté »,
built as the background job does it (issue 15), for BENCH_REPORT_MEMBERS members (default
650, the demo's size) in a fresh SQLite database.

Run with `.venv/bin/python bench/bench_reports.py` (`make bench` runs every bench_*.py). Each
member has a titre of BENCH_REPORT_SERVICES lines (default 8) and the catalogue has a « prix
seul » per service and size class. Prints the time of the batch, per report, and the size of
the ZIP.
"""

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEMBERS = int(os.environ.get("BENCH_REPORT_MEMBERS", "650"))
SERVICES = int(os.environ.get("BENCH_REPORT_SERVICES", "8"))
YEAR = 2026
WORKDIR = Path(tempfile.mkdtemp(prefix="mutualis-bench-reports-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "mutualis.config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from mutualis.billing.models import Invoice, InvoiceLine  # noqa: E402
from mutualis.catalog.models import ReferencePrice, Service  # noqa: E402
from mutualis.insights import services  # noqa: E402
from mutualis.insights.models import ReportBatch  # noqa: E402
from mutualis.members.models import Member  # noqa: E402
from mutualis.members.size import SizeClass  # noqa: E402


def build() -> None:
    catalogue = Service.objects.bulk_create(
        Service(code=f"s{i}", name=f"Service {i}", category="support", unit="flat")
        for i in range(SERVICES)
    )
    ReferencePrice.objects.bulk_create(
        ReferencePrice(service=s, size_class=c, yearly_cents=50000 + 1000 * i, source="Devis")
        for i, s in enumerate(catalogue)
        for c in SizeClass.values
    )
    members = Member.objects.bulk_create(
        Member(kind="commune", name=f"Commune {i:04d}", population=100 + (i * 37) % 20000)
        for i in range(MEMBERS)
    )
    invoices = Invoice.objects.bulk_create(
        Invoice(
            member=m,
            year=YEAR,
            series="T",
            number=i + 1,
            issued_on=dt.date(YEAR, 11, 16),
            due_on=dt.date(YEAR, 12, 16),
            total_cents=SERVICES * 12000,
            payer_name=m.name,
        )
        for i, m in enumerate(members)
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(invoice=inv, service=s, member=inv.member, label=s.name, amount_cents=12000)
        for inv in invoices
        for s in catalogue
    )


def main() -> int:
    call_command("migrate", verbosity=0)
    build()
    batch = ReportBatch.objects.create(year=YEAR)
    start = time.perf_counter()
    services.report_batch_build(batch_id=batch.pk)
    elapsed = time.perf_counter() - start
    batch.refresh_from_db()
    if batch.status != "succeeded":
        print(f"report batch failed: {batch.error}")
        return 1
    size = len(bytes(batch.archive)) / 1e6
    print(
        f"reports: {batch.report_count} members × {SERVICES} services in {elapsed:.1f} s "
        f"({1000 * elapsed / batch.report_count:.0f} ms per report), ZIP {size:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
