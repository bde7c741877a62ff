"""Corrections in both directions: a run computed after the validated run of its year, compared
with it payer by payer and service by service, then validated as its correction.

One run only is validated per year, and its titres font foi. To correct them (a tariff adopted
again, usage corrected, a subscription forgotten), the operator computes a new run of the same
year with the current data and tariffs, compares it with the validated one, and validates it
« as a correction »: in one transaction the validated run becomes « superseded » (it stays
readable, and its titres stand), the new run becomes the validated run of the year and points
to the one it replaces, and for each payer whose amount changed:

- an increase is a titre complémentaire: a titre of its own, numbered in the titres' gapless
  series, that cites the payer's titre of the year and the délibération behind the change;
- a decrease is a réduction of the payer's titres (the latest titre complémentaire first, then
  the titre), never more than what remains due on each: the correction is refused, saying
  whom, when a payer's titres do not have enough left;
- a payer the validated run did not bill gets an ordinary titre of its new amount.

Issued documents are never edited. What they add up to is, to the cent, the difference between
the two runs.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.billing.models import (
    SERIES_BY_KIND,
    AllocationRun,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    RunStatus,
    Tariff,
)
from mutualis.billing.money import format_euros
from mutualis.billing.services.identity import identity_snapshot
from mutualis.billing.services.invoices import (
    BORDEREAU_CORRECTION_SERIES,
    BORDEREAU_SERIES,
    PAYMENT_DAYS,
    REDUCIBLE_KINDS,
    check_issue_date,
    invoice_correct,
    invoices_issue,
    payer_identity,
    reserve_numbers,
)
from mutualis.catalog.models import Service
from mutualis.members.models import Decision, Member
from mutualis.members.services import decision_create

SNAPSHOTS = ("members_snapshot", "subscriptions_snapshot", "usage_snapshot")


@dataclass(frozen=True)
class ServiceDifference:
    service_id: int
    service_name: str
    validated_cents: int
    new_cents: int

    @property
    def difference_cents(self) -> int:
        return self.new_cents - self.validated_cents


@dataclass(frozen=True)
class PayerDifference:
    """A payer in both runs: its amounts, per service, and its titre of the year if any."""

    payer_id: int
    payer_name: str
    payer_siren: str
    validated_cents: int
    new_cents: int
    services: tuple[ServiceDifference, ...]
    original: Invoice | None

    @property
    def difference_cents(self) -> int:
        return self.new_cents - self.validated_cents

    @property
    def changed_services(self) -> list[ServiceDifference]:
        return [s for s in self.services if s.difference_cents]

    @property
    def action(self) -> str:
        """The document the correction issues for this payer ("" for none)."""
        difference = self.difference_cents
        if difference == 0:
            return ""
        if self.original is None:
            return InvoiceKind.INVOICE if self.validated_cents <= 0 < self.new_cents else ""
        return InvoiceKind.COMPLEMENTARY if difference > 0 else InvoiceKind.REDUCTION

    @property
    def action_label(self) -> str:
        return {
            InvoiceKind.INVOICE: _("Titre"),
            InvoiceKind.COMPLEMENTARY: _("Titre complémentaire"),
            InvoiceKind.REDUCTION: _("Réduction"),
        }.get(self.action, "")


@dataclass(frozen=True)
class Comparison:
    """The new run against the validated (or replaced) run of the year, payer by payer."""

    base: AllocationRun
    run: AllocationRun
    rows: list[PayerDifference]

    @property
    def validated_cents(self) -> int:
        return sum(row.validated_cents for row in self.rows)

    @property
    def new_cents(self) -> int:
        return sum(row.new_cents for row in self.rows)

    @property
    def difference_cents(self) -> int:
        return self.new_cents - self.validated_cents

    @property
    def changed(self) -> list[PayerDifference]:
        return [row for row in self.rows if row.difference_cents]

    @property
    def increases(self) -> list[PayerDifference]:
        return [row for row in self.rows if row.difference_cents > 0]

    @property
    def decreases(self) -> list[PayerDifference]:
        return [row for row in self.rows if row.difference_cents < 0]

    @property
    def without_titre(self) -> list[PayerDifference]:
        """Payers the validated run bills who have no titre yet: issue them first."""
        return [row for row in self.rows if row.validated_cents > 0 and row.original is None]


@dataclass
class Correction:
    """What validating a correction issued."""

    run: AllocationRun
    base: AllocationRun
    complementary: list[Invoice] = field(default_factory=list)
    reductions: list[Invoice] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)

    @property
    def documents(self) -> list[Invoice]:
        return [*self.complementary, *self.invoices, *self.reductions]

    @property
    def total_cents(self) -> int:
        return sum(document.total_cents for document in self.documents)


def correction_base(run: AllocationRun) -> AllocationRun | None:
    """The run `run` is compared with: the run it replaced, or, for a computed run, the
    validated run of its year (None when there is nothing to compare)."""
    if run.supersedes_id:
        return AllocationRun.objects.defer(*SNAPSHOTS).get(pk=run.supersedes_id)
    if run.status != RunStatus.COMPUTED:
        return None
    return (
        AllocationRun.objects.defer(*SNAPSHOTS)
        .filter(year=run.year, status=RunStatus.VALIDATED)
        .exclude(pk=run.pk)
        .first()
    )


def _amounts(run: AllocationRun) -> dict[tuple[int, int], int]:
    rows = (
        run.lines.operator_billed()
        .values("payer_id", "service_id")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    return {(row["payer_id"], row["service_id"]): row["total"] for row in rows}


def year_titres(year: int, payer_ids) -> dict[int, Invoice]:
    """Each payer's titre (ordinary) for the participations of `year`."""
    titres: dict[int, Invoice] = {}
    for invoice in Invoice.objects.filter(
        kind=InvoiceKind.INVOICE, run__year=year, member_id__in=list(payer_ids)
    ).order_by("pk"):
        titres.setdefault(invoice.member_id, invoice)
    return titres


def run_compare(*, run: AllocationRun, base: AllocationRun) -> Comparison:
    """`run` against `base`, payer by payer (the payers of either run), service by service."""
    old, new = _amounts(base), _amounts(run)
    keys = set(old) | set(new)
    payer_ids = {payer_id for payer_id, _service_id in keys}
    services = dict(Service.objects.filter(pk__in={s for _p, s in keys}).values_list("pk", "name"))
    payers = Member.objects.filter(pk__in=payer_ids).only("pk", "name", "siren")
    titres = year_titres(run.year, payer_ids)
    by_payer: dict[int, list[int]] = defaultdict(list)
    for payer_id, service_id in keys:
        by_payer[payer_id].append(service_id)
    rows = []
    for payer in sorted(payers, key=lambda m: (m.name, m.pk)):
        differences = tuple(
            ServiceDifference(
                service_id=service_id,
                service_name=services[service_id],
                validated_cents=old.get((payer.pk, service_id), 0),
                new_cents=new.get((payer.pk, service_id), 0),
            )
            for service_id in sorted(by_payer[payer.pk], key=lambda s: (services[s], s))
        )
        rows.append(
            PayerDifference(
                payer_id=payer.pk,
                payer_name=payer.name,
                payer_siren=payer.siren,
                validated_cents=sum(d.validated_cents for d in differences),
                new_cents=sum(d.new_cents for d in differences),
                services=differences,
                original=titres.get(payer.pk),
            )
        )
    return Comparison(base=base, run=run, rows=rows)


def changed_tariffs(base: AllocationRun, run: AllocationRun) -> list[Tariff]:
    """The tariff versions `run` applies and `base` did not, latest adoption first."""
    before = base.services.values_list("tariff_id", flat=True)
    return list(
        Tariff.objects.filter(run_services__run=run)
        .exclude(pk__in=before)
        .select_related("service", "decision")
        .order_by("-adopted_at", "-pk")
    )


def default_decision(base: AllocationRun, run: AllocationRun) -> Decision | None:
    """The délibération behind a correction when none is given: the adoption of the most
    recent tariff version that changed."""
    for tariff in changed_tariffs(base, run):
        if tariff.decision_id:
            return tariff.decision
    return None


def default_reason(base: AllocationRun, run: AllocationRun) -> str:
    tariffs = changed_tariffs(base, run)
    if tariffs:
        names = ", ".join(f"{t.service.name} v{t.version}" for t in tariffs)
        text = _("Participations %(year)s recalculées avec le tarif adopté depuis : %(names)s")
        return (text % {"year": run.year, "names": names})[:300]
    return _("Participations %(year)s recalculées avec les données à jour (calcul n° %(run)s)") % {
        "year": run.year,
        "run": run.pk,
    }


def _titres_to_reduce(comparison: Comparison) -> dict[int, list[tuple[Invoice, int]]]:
    """For each payer whose amount decreases: its titres of the year that can still be
    reduced, with what remains due on each, latest titre complémentaire first."""
    payer_ids = [row.payer_id for row in comparison.decreases]
    titres = list(
        Invoice.objects.filter(
            kind__in=REDUCIBLE_KINDS, run__year=comparison.run.year, member_id__in=payer_ids
        )
    )
    corrected = dict(
        Invoice.objects.filter(original__in=titres)
        .exclude(kind=InvoiceKind.COMPLEMENTARY)
        .values("original_id")
        .annotate(total=Sum("total_cents"))
        .order_by()
        .values_list("original_id", "total")
    )
    by_payer: dict[int, list[tuple[Invoice, int]]] = defaultdict(list)
    for titre in sorted(
        titres, key=lambda t: (t.kind == InvoiceKind.INVOICE, -t.issued_on.toordinal(), -t.pk)
    ):
        remaining = titre.total_cents + (corrected.get(titre.pk) or 0)
        if remaining > 0:
            by_payer[titre.member_id].append((titre, remaining))
    return by_payer


def _plan_reductions(comparison: Comparison) -> list[tuple[PayerDifference, Invoice, int]]:
    """(payer, titre, amount) of each réduction; refuses a decrease the titres cannot bear."""
    available = _titres_to_reduce(comparison)
    plan, refused = [], []
    for row in comparison.decreases:
        if row.original is None:
            continue  # without a titre (refused earlier when the validated run bills it)
        left = -row.difference_cents
        remaining = sum(amount for _titre, amount in available.get(row.payer_id, []))
        if left > remaining:
            refused.append(
                _(
                    "%(payer)s : la baisse (%(decrease)s) dépasse ce qui reste dû sur ses "
                    "titres (%(remaining)s)"
                )
                % {
                    "payer": row.payer_name,
                    "decrease": format_euros(left),
                    "remaining": format_euros(remaining),
                }
            )
            continue
        for titre, amount in available[row.payer_id]:
            if left == 0:
                break
            take = min(left, amount)
            plan.append((row, titre, take))
            left -= take
    if refused:
        raise ValidationError(
            _("Une réduction ne dépasse jamais le reste dû d'un titre. %(list)s.")
            % {"list": " ; ".join(refused)}
        )
    return plan


def _check(comparison: Comparison, issued_on: dt.date) -> None:
    missing = comparison.without_titre
    if missing:
        names = ", ".join(row.payer_name for row in missing[:5])
        if len(missing) > 5:
            names += "…"
        raise ValidationError(
            _(
                "Les titres du calcul validé n° %(run)s ne sont pas tous émis (%(n)s payeurs : "
                "%(names)s) : émettez-les d'abord, la correction porte sur des titres émis."
            )
            % {"run": comparison.base.pk, "n": len(missing), "names": names}
        )
    latest = max(
        (row.original for row in comparison.changed if row.original is not None),
        key=lambda titre: titre.issued_on,
        default=None,
    )
    if latest is not None and issued_on < latest.issued_on:
        raise ValidationError(
            {
                "issued_on": _(
                    "La correction ne peut pas être datée d'avant l'émission du titre "
                    "%(ref)s (%(date)s)."
                )
                % {"ref": latest.reference, "date": latest.issued_on.strftime("%d/%m/%Y")}
            }
        )


def _service_explanation(difference: ServiceDifference, comparison: Comparison) -> str:
    return _(
        "Montant recalculé %(new)s au lieu de %(old)s (calcul n° %(run)s remplaçant le calcul "
        "n° %(base)s)"
    ) % {
        "new": format_euros(difference.new_cents),
        "old": format_euros(difference.validated_cents),
        "run": comparison.run.pk,
        "base": comparison.base.pk,
    }


def _issue_complementary(
    comparison: Comparison,
    *,
    issued_on: dt.date,
    reason: str,
    decision: Decision | None,
    bordereau: int,
    issued_by,
) -> list[Invoice]:
    rows = [row for row in comparison.rows if row.action == InvoiceKind.COMPLEMENTARY]
    if not rows:
        return []
    series = SERIES_BY_KIND[InvoiceKind.COMPLEMENTARY]
    year = issued_on.year
    first = reserve_numbers(year=year, series=series, count=len(rows))
    payers = Member.objects.in_bulk([row.payer_id for row in rows])
    frozen_identity = identity_snapshot()
    titres = [
        Invoice(
            run=comparison.run,
            kind=InvoiceKind.COMPLEMENTARY,
            original=row.original,
            decision=decision,
            year=year,
            series=series,
            number=first + index,
            bordereau=bordereau,
            issued_on=issued_on,
            due_on=issued_on + dt.timedelta(days=PAYMENT_DAYS),
            total_cents=row.difference_cents,
            reason=reason,
            issued_by=issued_by,
            frozen_identity=frozen_identity,
            **payer_identity(payers[row.payer_id]),
        )
        for index, row in enumerate(rows)
    ]
    Invoice.objects.bulk_create(titres)
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=titre,
                service_id=difference.service_id,
                label=difference.service_name[:300],
                amount_cents=difference.difference_cents,
                explanation=_service_explanation(difference, comparison),
            )
            for titre, row in zip(titres, rows, strict=True)
            for difference in row.changed_services
        ]
    )
    return titres


@transaction.atomic
def run_validate_correction(
    *,
    run: AllocationRun,
    issued_on: dt.date,
    reason: str,
    decision: Decision | None = None,
    vote: dict | None = None,
    issued_by=None,
) -> Correction:
    """Validates `run` as the correction of the validated run of its year and issues the
    titres complémentaires, réductions and new titres of the differences (module docstring).
    The délibération behind it is `decision`, or a new one of the committee (`vote`: number,
    date), or the adoption of the tariff that changed."""
    check_issue_date(issued_on)
    reason = reason.strip()[:300]
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif de la correction.")})
    if vote:
        decision = decision_create(
            member=None,
            body=vote.get("body") or _("Comité syndical"),
            number=vote["number"],
            date=vote["date"],
            subject=(
                _("Correction des participations %(year)s : %(reason)s")
                % {"year": run.year, "reason": reason}
            )[:300],
        )
    run = AllocationRun.objects.select_for_update().defer(*SNAPSHOTS).get(pk=run.pk)
    if run.status != RunStatus.COMPUTED:
        raise ValidationError(_("Seul un calcul terminé peut être validé comme correction."))
    base = (
        AllocationRun.objects.select_for_update()
        .defer(*SNAPSHOTS)
        .filter(year=run.year, status=RunStatus.VALIDATED)
        .first()
    )
    if base is None:
        raise ValidationError(
            _("Aucun calcul n'est validé pour %(year)s : validez simplement ce calcul.")
            % {"year": run.year}
        )
    if run.pk < base.pk:
        raise ValidationError(
            _(
                "Ce calcul a été lancé avant le calcul validé n° %(n)s : lancez un nouveau "
                "calcul pour le corriger."
            )
            % {"n": base.pk}
        )
    comparison = run_compare(run=run, base=base)
    _check(comparison, issued_on)
    reductions = _plan_reductions(comparison)
    decision = decision or default_decision(base, run)

    base.status = RunStatus.SUPERSEDED
    base.save(update_fields=["status", "updated_at"])
    run.status = RunStatus.VALIDATED
    run.validated_at = timezone.now()
    run.supersedes = base
    run.correction_reason = reason
    run.correction_decision = decision
    run.save(
        update_fields=[
            "status",
            "validated_at",
            "supersedes",
            "correction_reason",
            "correction_decision",
            "updated_at",
        ]
    )

    correction = Correction(run=run, base=base)
    new_payers = [row.payer_id for row in comparison.rows if row.action == InvoiceKind.INVOICE]
    if new_payers or comparison.increases:
        bordereau = reserve_numbers(year=issued_on.year, series=BORDEREAU_SERIES)
        correction.complementary = _issue_complementary(
            comparison,
            issued_on=issued_on,
            reason=reason,
            decision=decision,
            bordereau=bordereau,
            issued_by=issued_by,
        )
        if new_payers:
            correction.invoices = invoices_issue(
                run=run,
                issued_on=issued_on,
                payer_ids=new_payers,
                issued_by=issued_by,
                exercise=issued_on.year,
                bordereau=bordereau,
            )
    # The réductions of one correction form one bordereau d'annulation/réduction.
    reductions_bordereau = (
        reserve_numbers(year=issued_on.year, series=BORDEREAU_CORRECTION_SERIES)
        if reductions
        else None
    )
    for row, titre, amount in reductions:
        correction.reductions.append(
            invoice_correct(
                original=titre,
                kind=InvoiceKind.REDUCTION,
                reason=reason,
                issued_on=issued_on,
                amount_cents=amount,
                issued_by=issued_by,
                decision=decision,
                run=run,
                bordereau=reductions_bordereau,
                explanation="\n".join(
                    f"{d.service_name} : {_service_explanation(d, comparison)}"
                    for d in row.changed_services
                ),
            )
        )
    return correction
