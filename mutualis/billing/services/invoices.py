"""Titres de recettes: issued from a validated run, one per payer, numbered without gaps.

Numbers run per year and series; the counter row is locked (select_for_update) for the
whole issuing transaction, so concurrent issuers wait for each other and a rolled-back
transaction gives its numbers back. Issued documents are immutable (see models.py):
corrections are reduction or cancellation documents referencing the original.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.billing.bulk import insert_rows
from mutualis.billing.models import (
    SERIES_BY_KIND,
    AllocationRun,
    ChargeLine,
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceLine,
    RunStatus,
)
from mutualis.billing.services.identity import identity_snapshot
from mutualis.catalog.models import Service
from mutualis.core.signals import bulk_written
from mutualis.members.models import Member

PAYMENT_DAYS = 30
# What a reduction or a cancellation may correct: a titre, or a titre complémentaire.
REDUCIBLE_KINDS = (InvoiceKind.INVOICE, InvoiceKind.COMPLEMENTARY)
# The bordereaux de titres of an exercise are numbered like the titres, in their own series:
# one bordereau per issuing, shown on each avis and sent as such to the Trésor (PES).
BORDEREAU_SERIES = "B"
# Réductions and annulations travel on bordereaux d'annulation/réduction (PES TypBord 02),
# which Hélios numbers per exercise and per type of bordereau: their own series, so that
# their numbers never collide with, nor leave a gap in, the bordereaux de titres.
BORDEREAU_CORRECTION_SERIES = "BR"


def reserve_numbers(*, year: int, series: str, count: int = 1) -> int:
    """Reserves `count` consecutive numbers; returns the first. Call inside a transaction."""
    assert transaction.get_connection().in_atomic_block, "numbering needs a transaction"
    InvoiceCounter.objects.bulk_create(
        [InvoiceCounter(year=year, series=series)], ignore_conflicts=True
    )
    counter = InvoiceCounter.objects.select_for_update().get(year=year, series=series)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return first


def future_date_message(day: dt.date) -> str | None:
    """The French sentence refusing an issue date after today, or None for a date that is not
    in the future: a titre or a correction is dated the day it is made, never ahead."""
    today = timezone.localdate()
    if day <= today:
        return None
    return _(
        "La date d'émission ne peut pas être dans le futur (%(date)s ; nous sommes le %(today)s)."
    ) % {"date": day.strftime("%d/%m/%Y"), "today": today.strftime("%d/%m/%Y")}


def check_issue_date(day: dt.date) -> None:
    message = future_date_message(day)
    if message:
        raise ValidationError({"issued_on": message})


def payer_identity(member: Member) -> dict:
    return {
        "member": member,
        "payer_name": member.name,
        "payer_siren": member.siren,
        "payer_address": member.address,
    }


def _db_values(values: dict) -> dict:
    """`values` (field name → value, foreign keys as ids) as the database takes them."""
    connection = transaction.get_connection()
    return {
        name: Invoice._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in values.items()
    }


PAYER_FIELDS = ("member", "number", "total_cents", "payer_name", "payer_siren", "payer_address")
INVOICE_LINE_FIELDS = ("invoice", "service", "member", "label", "quantity", "amount_cents")


def _issue_lines(run: AllocationRun, year: int, series: str, first: int, last: int) -> int:
    """The lines of the titres numbered `first` to `last` of `series` in `year`, copied from
    the run's operator-billed charge lines in one ``INSERT … SELECT`` (no row goes through
    Python): each titre's lines sorted by service then member name (bytewise, as Python
    compares text; in line order otherwise), titres in the order of their first line."""
    connection = transaction.get_connection()
    q = connection.ops.quote_name

    def table(model) -> str:
        return q(model._meta.db_table)

    def col(model, name: str) -> str:
        return q(model._meta.get_field(name).column)

    # Python compares text by code points: so do SQLite's BINARY and PostgreSQL's "C".
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    service_name, member_name = f"s.{col(Service, 'name')}", f"m.{col(Member, 'name')}"
    label = (
        f"SUBSTR(CASE WHEN c.{col(ChargeLine, 'member')} = c.{col(ChargeLine, 'payer')} "
        f"THEN {service_name} ELSE {service_name} || %s || {member_name} END, 1, 300)"
    )
    columns = ", ".join(col(InvoiceLine, name) for name in (*INVOICE_LINE_FIELDS, "explanation"))
    run_col, payer_col, pk = col(ChargeLine, "run"), col(ChargeLine, "payer"), q("id")
    sql = f"""
        WITH firsts AS (
            SELECT {payer_col} AS payer, MIN({pk}) AS first FROM {table(ChargeLine)}
            WHERE {run_col} = %s AND {col(ChargeLine, "issuer")} IS NULL
            GROUP BY {payer_col}
        )
        INSERT INTO {table(InvoiceLine)} ({columns})
        SELECT i.{pk}, c.{col(ChargeLine, "service")}, c.{col(ChargeLine, "member")}, {label},
               c.{col(ChargeLine, "quantity")}, c.{col(ChargeLine, "amount_cents")},
               c.{col(ChargeLine, "explanation")}
        FROM {table(ChargeLine)} c
        JOIN firsts f ON f.payer = c.{payer_col}
        JOIN {table(Invoice)} i ON i.{col(Invoice, "member")} = c.{payer_col}
        JOIN {table(Service)} s ON s.{pk} = c.{col(ChargeLine, "service")}
        JOIN {table(Member)} m ON m.{pk} = c.{col(ChargeLine, "member")}
        WHERE c.{run_col} = %s AND c.{col(ChargeLine, "issuer")} IS NULL
          AND i.{col(Invoice, "year")} = %s AND i.{col(Invoice, "series")} = %s
          AND i.{col(Invoice, "number")} BETWEEN %s AND %s
        ORDER BY f.first, {service_name}{collate}, {member_name}{collate}, c.{pk}
    """  # noqa: S608 (quoted names from the models)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The titres were just inserted and the lines maybe just computed: without fresh
            # statistics the planner takes the tables for small and joins 1.3 M lines by
            # nested loops (minutes instead of seconds).
            cursor.execute(f"ANALYZE {table(Invoice)}, {table(ChargeLine)}")
        cursor.execute(sql, [run.pk, " — ", run.pk, year, series, first, last])
        return cursor.rowcount


@transaction.atomic
def invoices_issue(
    *,
    run: AllocationRun,
    issued_on: dt.date,
    due_on: dt.date | None = None,
    payer_ids=None,
    issued_by=None,
    exercise: int | None = None,
    bordereau: int | None = None,
) -> list[Invoice]:
    """One titre per payer owing something in the run (or among `payer_ids`), all on one new
    bordereau (or on `bordereau`), numbered in the exercise of the run (or `exercise`).
    Payers already invoiced for the run's year are skipped, so issuing again is harmless, and
    a run validated as a correction never invoices again a payer titré by the run it
    replaced: its differences are titres complémentaires and réductions (corrections.py)."""
    check_issue_date(issued_on)
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.VALIDATED:
        raise ValidationError(_("Les titres s'émettent à partir d'un calcul validé."))
    lines = run.lines.operator_billed()
    if payer_ids is not None:
        lines = lines.filter(payer_id__in=list(payer_ids))
    done = set(
        Invoice.objects.filter(kind=InvoiceKind.INVOICE, run__year=run.year).values_list(
            "member_id", flat=True
        )
    )
    totals = {
        row["payer_id"]: row["total"]
        for row in lines.values("payer_id").annotate(total=Sum("amount_cents")).order_by()
        if row["total"] > 0 and row["payer_id"] not in done
    }
    if not totals:
        return []
    payers = (
        Member.objects.filter(pk__in=totals)
        .order_by("name", "pk")
        .values_list("pk", "name", "siren", "address")
    )
    series = SERIES_BY_KIND[InvoiceKind.INVOICE]
    year = exercise or run.year
    first = reserve_numbers(year=year, series=series, count=len(totals))
    if bordereau is None:
        bordereau = reserve_numbers(year=year, series=BORDEREAU_SERIES)
    now = timezone.now()
    constant = _db_values(
        {
            "created_at": now,
            "updated_at": now,
            "run": run.pk,
            "kind": InvoiceKind.INVOICE.value,
            "year": year,
            "series": series,
            "bordereau": bordereau,
            "issued_on": issued_on,
            "due_on": due_on or issued_on + dt.timedelta(days=PAYMENT_DAYS),
            "reason": "",
            "issued_by": issued_by.pk if issued_by is not None else None,
            "frozen_identity": identity_snapshot().pk,
        }
    )
    insert_rows(
        Invoice,
        (
            *constant,
            "member",
            "number",
            "total_cents",
            "payer_name",
            "payer_siren",
            "payer_address",
        ),
        (
            (*constant.values(), pk, first + index, totals[pk], name, siren, address)
            for index, (pk, name, siren, address) in enumerate(payers)
        ),
    )
    invoices = list(
        Invoice.objects.filter(
            year=year, series=series, number__gte=first, number__lt=first + len(totals)
        ).order_by("number")
    )
    _issue_lines(run, year, series, first, first + len(totals) - 1)
    bulk_written.send(  # one event on the run for the titres inserted in one statement
        sender=Invoice,
        parent=run,
        action=_("Titres de recettes émis"),
        count=len(invoices),
        detail={
            "exercice": year,
            "bordereau": bordereau,
            "numéros": [first, first + len(totals) - 1],
        },
        user=issued_by,
    )
    return invoices


def invoice_balance_cents(invoice: Invoice) -> int:
    """What remains due on a titre once its reductions and cancellation are deducted (a titre
    complémentaire that cites it is a titre of its own, with its own balance)."""
    corrected = (
        invoice.corrections.exclude(kind=InvoiceKind.COMPLEMENTARY).aggregate(
            total=Sum("total_cents")
        )["total"]
        or 0
    )
    return invoice.total_cents + corrected


@transaction.atomic
def invoice_correct(
    *,
    original: Invoice,
    kind: str,
    reason: str,
    issued_on: dt.date,
    amount_cents: int | None = None,
    issued_by=None,
    decision=None,
    run: AllocationRun | None = None,
    explanation: str = "",
    bordereau: int | None = None,
) -> Invoice:
    """A reduction (of `amount_cents`) or a cancellation (of what remains) of a titre (or of a
    titre complémentaire); `run` is the run behind it (by default the titre's), `decision`
    the délibération that founds it. It goes on a new bordereau d'annulation/réduction of its
    exercise (or on `bordereau`, one of that series reserved by the caller)."""
    check_issue_date(issued_on)
    original = Invoice.objects.select_for_update().get(pk=original.pk)
    if original.kind not in REDUCIBLE_KINDS:
        raise ValidationError(_("Seul un titre de recettes peut être réduit ou annulé."))
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de la correction.")})
    if issued_on < original.issued_on:
        raise ValidationError(
            {
                "issued_on": _(
                    "La correction ne peut pas être datée d'avant l'émission du titre (%(date)s)."
                )
                % {"date": original.issued_on.strftime("%d/%m/%Y")}
            }
        )
    remaining = invoice_balance_cents(original)
    if remaining <= 0:
        raise ValidationError(_("Ce titre est déjà entièrement annulé."))
    if kind == InvoiceKind.CANCELLATION:
        amount = remaining
    elif kind == InvoiceKind.REDUCTION:
        if amount_cents is None or amount_cents <= 0:
            raise ValidationError({"amount": _("Le montant de la réduction doit être positif.")})
        if amount_cents > remaining:
            raise ValidationError({"amount": _("La réduction dépasse le reste dû sur le titre.")})
        amount = amount_cents
    else:
        raise ValidationError({"kind": _("Nature de correction inconnue.")})
    series = SERIES_BY_KIND[kind]
    year = issued_on.year
    number = reserve_numbers(year=year, series=series)
    if bordereau is None:
        bordereau = reserve_numbers(year=year, series=BORDEREAU_CORRECTION_SERIES)
    label = (
        _("Annulation du titre %(ref)s")
        if kind == InvoiceKind.CANCELLATION
        else _("Réduction du titre %(ref)s")
    ) % {"ref": original.reference}
    correction = Invoice(
        run=run or original.run,
        kind=kind,
        original=original,
        decision=decision,
        year=year,
        series=series,
        number=number,
        bordereau=bordereau,
        issued_on=issued_on,
        due_on=issued_on,
        total_cents=-amount,
        reason=reason.strip()[:300],
        issued_by=issued_by,
        frozen_identity=identity_snapshot(),
        **payer_identity(original.member),
    )
    correction.save()
    InvoiceLine(
        invoice=correction,
        label=label,
        amount_cents=-amount,
        explanation=explanation or reason.strip(),
    ).save()
    return correction
