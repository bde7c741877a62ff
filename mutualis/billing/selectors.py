"""Reads of billing: run balances, totals per member, receivables, lists for the pages."""

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum

from mutualis.billing.models import (
    AllocationRun,
    ChargeLine,
    Invoice,
    InvoiceKind,
    RunService,
    Tariff,
)
from mutualis.catalog.models import Subscription
from mutualis.core.jobs import fail_abandoned
from mutualis.members.models import Member


def tariff_list(*, year: int | None = None):
    tariffs = Tariff.objects.select_related("service", "decision").order_by(
        "-year", "service__name", "-version"
    )
    return tariffs.filter(year=year) if year else tariffs


def tariff_history(tariff: Tariff):
    return (
        Tariff.objects.filter(service_id=tariff.service_id, year=tariff.year)
        .select_related("decision", "created_by")
        .order_by("-version")
    )


def run_list():
    """Runs, newest first; a run whose worker died is marked failed first (core.jobs)."""
    fail_abandoned(AllocationRun)
    return AllocationRun.objects.defer(
        "members_snapshot", "subscriptions_snapshot", "usage_snapshot"
    ).order_by("-year", "-pk")


def run_detail(*, pk: int) -> AllocationRun:
    return run_list().get(pk=pk)


def run_balance(run: AllocationRun):
    """Per service: the tariff version, net cost, charged, unallocated."""
    return RunService.objects.filter(run=run).select_related("service", "tariff")


def run_services_without_tariff(run: AllocationRun) -> list[dict]:
    """Services subscribed during the run's year that the run left out (no adopted tariff),
    with their number of subscriptions: one query."""
    first, last = dt.date(run.year, 1, 1), dt.date(run.year, 12, 31)
    return list(
        Subscription.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=first), start_date__lte=last
        )
        .exclude(service_id__in=RunService.objects.filter(run=run).values("service_id"))
        .values("service_id", "service__name")
        .annotate(subscriptions=Count("pk"))
        .order_by("service__name", "service_id")
    )


def run_member_totals(run: AllocationRun, *, search: str = ""):
    """Per member (consumer): what its services cost in the run, and per inhabitant."""
    lines = ChargeLine.objects.filter(run=run, issuer__isnull=True)
    if search:
        lines = lines.filter(member__name__icontains=search)
    return (
        lines.values("member_id", "member__name", "member__kind", "member__population")
        .annotate(total_cents=Sum("amount_cents"), services=Count("service_id", distinct=True))
        .order_by("member__name", "member_id")
    )


def per_inhabitant_cents(total_cents: int, population: int | None) -> int | None:
    if not population:
        return None
    return (2 * total_cents + population) // (2 * population)


def member_charges(run: AllocationRun, member: Member):
    return (
        ChargeLine.objects.filter(run=run)
        .filter(Q(member=member) | Q(payer=member))
        .select_related("service", "member", "payer")
        .order_by("service__name", "pk")
    )


def invoice_list(*, year: int | None = None, member_id: int | None = None):
    invoices = Invoice.objects.select_related("original").order_by("-year", "series", "-number")
    if year:
        invoices = invoices.filter(year=year)
    if member_id:
        invoices = invoices.filter(member_id=member_id)
    return invoices


def receivables(*, year: int | None = None):
    """Per payer: titres issued, corrections, and what remains due (no payments tracked here:
    the public accountant collects)."""
    invoices = Invoice.objects.all()
    if year:
        invoices = invoices.filter(year=year)
    return (
        invoices.values("member_id", "member__name", "member__siren")
        .annotate(
            invoiced_cents=Sum("total_cents", filter=Q(kind="invoice")),
            corrected_cents=Sum("total_cents", filter=~Q(kind="invoice")),
            due_cents=Sum("total_cents"),
            documents=Count("pk"),
        )
        .order_by("member__name", "member_id")
    )


def invoice_years() -> list[int]:
    return list(Invoice.objects.order_by("-year").values_list("year", flat=True).distinct())


# What the lists of titres show (billing/_invoice_table.html): its reference, nature, payer,
# dates and amount, and the reference of the titre it corrects.
INVOICE_TABLE_FIELDS = (
    "year",
    "series",
    "number",
    "kind",
    "payer_name",
    "issued_on",
    "due_on",
    "total_cents",
    "original__year",
    "original__series",
    "original__number",
)


def invoice_table_page(invoices, page_number, per_page: int = 50):
    """A page of titres for `_invoice_table.html`: only the columns it shows, and each one's
    `kind_label` (the choice's label translated once per page, not once per line)."""
    page = Paginator(invoices.only(*INVOICE_TABLE_FIELDS), per_page).get_page(page_number)
    kinds = {value: str(label) for value, label in InvoiceKind.choices}
    page.object_list = list(page.object_list)
    for invoice in page.object_list:
        invoice.kind_label = kinds.get(invoice.kind, invoice.kind)
    return page


def invoice_totals(invoices) -> dict:
    return invoices.aggregate(total=Sum("total_cents"), count=Count("pk"))


def run_years() -> list[int]:
    return list(AllocationRun.objects.order_by("-year").values_list("year", flat=True).distinct())
