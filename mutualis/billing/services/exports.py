"""Exports of charge lines and titres for the accounting software (CSV / XLSX)."""

from collections.abc import Iterator

from mutualis.billing.models import AllocationRun, InvoiceLine
from mutualis.billing.money import euros_decimal

RUN_HEADERS = [
    "service",
    "membre",
    "siren_membre",
    "payeur",
    "siren_payeur",
    "regle",
    "quantite",
    "montant_centimes",
    "montant_euros",
    "explication",
]
INVOICE_HEADERS = [
    "titre",
    "nature",
    "titre_corrige",
    "exercice",
    "emis_le",
    "a_payer_avant_le",
    "payeur",
    "siren_payeur",
    "objet",
    "quantite",
    "montant_centimes",
    "montant_euros",
    "total_titre_centimes",
]


def run_rows(run: AllocationRun) -> Iterator[list]:
    lines = (
        run.lines.operator_billed()
        .select_related("service", "member", "payer")
        .order_by("service__code", "payer__name", "member__name", "pk")
    )
    for line in lines.iterator(chunk_size=2000):
        yield [
            line.service.code,
            line.member.name,
            line.member.siren,
            line.payer.name,
            line.payer.siren,
            line.rule,
            line.quantity,
            line.amount_cents,
            euros_decimal(line.amount_cents),
            line.explanation,
        ]


def invoice_rows(invoices) -> Iterator[list]:
    lines = (
        InvoiceLine.objects.filter(invoice__in=invoices)
        .select_related("invoice", "invoice__original")
        .order_by("invoice__year", "invoice__series", "invoice__number", "pk")
    )
    for line in lines.iterator(chunk_size=2000):
        invoice = line.invoice
        yield [
            invoice.reference,
            invoice.get_kind_display(),
            invoice.original.reference if invoice.original else "",
            invoice.year,
            invoice.issued_on,
            invoice.due_on,
            invoice.payer_name,
            invoice.payer_siren,
            line.label,
            line.quantity,
            line.amount_cents,
            euros_decimal(line.amount_cents),
            invoice.total_cents,
        ]


def file_stem(prefix: str, *parts) -> str:
    return "-".join([prefix, *(str(p) for p in parts if p)])


COMPARISON_HEADERS = [
    "payeur",
    "siren_payeur",
    "service",
    "montant_valide_centimes",
    "nouveau_montant_centimes",
    "ecart_centimes",
    "montant_valide_euros",
    "nouveau_montant_euros",
    "ecart_euros",
    "titre",
    "correction",
]


def comparison_rows(comparison) -> Iterator[list]:
    """One row per payer and service of a correction's comparison (services/corrections.py);
    the payer's titre and the document the correction issues for it repeat on its rows."""
    for row in comparison.rows:
        for service in row.services:
            yield [
                row.payer_name,
                row.payer_siren,
                service.service_name,
                service.validated_cents,
                service.new_cents,
                service.difference_cents,
                euros_decimal(service.validated_cents),
                euros_decimal(service.new_cents),
                euros_decimal(service.difference_cents),
                row.original.reference if row.original else "",
                row.action_label,
            ]
