"""Allocation runs: every charge of a year, computed by the engine on the job queue.

A run keeps what it was computed from (a snapshot of the inputs, their fingerprint and the
tariff versions), so that `run_reproduce` recomputes it and finds the very same lines.
"""

import logging
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat

import polars as pl
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.billing.bulk import insert_frame
from mutualis.billing.inputs import FINGERPRINT_VERSION, EngineFrames, build_frames
from mutualis.billing.models import (
    AllocationRun,
    ChargeLine,
    RunService,
    RunStatus,
    Tariff,
)
from mutualis.billing.services.tariffs import engine_tariff
from mutualis.core.jobs import JobFailure, Progress, job_enqueue, job_run
from mutualis.core.signals import bulk_written
from mutualis.engine import AllocationResult, Inputs, allocate_many
from mutualis.engine.explain import explain_codes
from mutualis.engine.money import QTY_SCALE

logger = logging.getLogger(__name__)
LINE_KEY = ("service_id", "member_id", "payer_id", "issuer_id", "rule", "quantity", "amount_cents")
# The columns of a charge line as `Computed.lines` gives them (then the run).
LINE_FIELDS = ("service", "member", "payer", "issuer", "rule", "quantity", "amount_cents")


def _id(value: str | None) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class Computed:
    results: list[tuple[Tariff, AllocationResult]]

    @cached_property
    def lines(self) -> list[tuple]:
        """Every charge line as a tuple of `LINE_KEY` values then its explanation, in the
        engine's order, built column by column (no record nor model instance per line)."""
        rows: list[tuple] = []
        for tariff, result in self.results:
            columns = result.charge_columns()
            rows.extend(
                zip(
                    repeat(tariff.service_id, len(columns)),
                    map(int, columns.member_id),
                    map(int, columns.payer_id),
                    map(_id, columns.issuer_id),
                    columns.rule,
                    columns.quantity,
                    columns.amount_cents,
                    columns.explanation,
                    strict=True,
                )
            )
        return rows

    def frame(self) -> pl.DataFrame:
        """Every charge line as the columns written to the database (`LINE_FIELDS` then the
        explanation; ids as integers, the quantity as exact decimal text), in the engine's
        order: built by polars, each explanation text written once (`explain_codes`)."""
        parts = [_storage_columns(tariff.service_id, result) for tariff, result in self.results]
        return pl.concat(parts) if parts else pl.DataFrame(schema=STORAGE_SCHEMA)


STORAGE_SCHEMA = {
    "service": pl.Int64,
    "member": pl.Int64,
    "payer": pl.Int64,
    "issuer": pl.Int64,
    "rule": pl.String,
    "quantity": pl.String,
    "amount_cents": pl.Int64,
    "explanation": pl.String,
}


def _decimal_text(milli: pl.Expr) -> pl.Expr:
    """Milli-units as exact decimal text (``-1234.250``), as the databases read a Decimal."""
    whole, frac = (milli.abs() // QTY_SCALE).cast(pl.String), milli.abs() % QTY_SCALE
    sign = pl.when(milli < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str(sign, whole, pl.lit("."), frac.cast(pl.String).str.zfill(3))


def _storage_columns(service_id: int, result: AllocationResult) -> pl.DataFrame:
    lines = result.lines
    codes, texts = explain_codes(result)
    issuer = pl.col("issuer_id").fill_null("")
    quantity = pl.col("quantity").fill_null(0) if "quantity" in lines.columns else pl.lit(0)
    return lines.select(
        pl.lit(service_id, pl.Int64).alias("service"),
        pl.col("member_id").cast(pl.Int64).alias("member"),
        pl.col("payer_id").cast(pl.Int64).alias("payer"),
        pl.when(issuer != "").then(issuer).cast(pl.Int64).alias("issuer"),
        pl.col("rule").cast(pl.String),
        _decimal_text(quantity.cast(pl.Int64)).alias("quantity"),
        pl.col("amount_cents").cast(pl.Int64),
        pl.Series("explanation", texts, pl.String).gather(codes).alias("explanation"),
    ).cast(STORAGE_SCHEMA)  # type: ignore[arg-type]


def run_request(*, year: int, created_by=None) -> AllocationRun:
    """A queued run; the computation starts on the job queue once the row is committed."""
    run = AllocationRun.objects.create(year=year, created_by=created_by)
    job_enqueue(run)
    return run


def compute(*, tariffs: list[Tariff], frames: EngineFrames, year: int) -> Computed:
    """The engine over `frames` for each tariff; its charge lines (`Computed.lines`) are
    built when first asked for, ready to be saved (not saved)."""
    parsed = [engine_tariff(t, year=year) for t in tariffs]
    results = allocate_many(
        parsed, Inputs.build(frames.members, frames.subscriptions, frames.usage), year
    )
    return Computed(list(zip(tariffs, results, strict=True)))


def store_lines(run: AllocationRun, lines: pl.DataFrame) -> int:
    """The charge lines of `run` (`Computed.frame`), written in one set-based insert (inside
    its transaction)."""
    return insert_frame(ChargeLine, lines.select(pl.lit(run.pk, pl.Int64).alias("run"), pl.all()))


def run_compute(*, run_id: int) -> dict | None:
    """Runs a queued run; a run already started or finished is left alone."""
    return job_run(AllocationRun, run_id, _compute_and_store)


def _compute_and_store(run: AllocationRun, progress: Progress) -> dict:
    progress(_("Lecture des données"))
    try:
        with transaction.atomic():
            return _store(run, progress)
    except ValidationError as error:
        raise JobFailure("; ".join(error.messages)) from error
    except ValueError as error:  # the engine refuses a tariff or its inputs, and says why
        raise JobFailure(str(error)) from error


def _store(run: AllocationRun, progress: Progress) -> dict:
    tariffs = list(
        Tariff.objects.adopted().filter(year=run.year).select_related("service").order_by("pk")
    )
    if not tariffs:
        raise ValidationError(_("Aucun tarif adopté pour %(year)s.") % {"year": run.year})
    frames = build_frames(year=run.year, service_ids=[t.service_id for t in tariffs])
    progress(_("Calcul de %(n)s services") % {"n": len(tariffs)})
    computed = compute(tariffs=tariffs, frames=frames, year=run.year)
    lines = computed.frame()
    progress(_("Enregistrement de %(n)s lignes") % {"n": lines.height})
    store_lines(run, lines)
    bulk_written.send(  # the audit trail records the run, not each line (COPY/executemany)
        sender=ChargeLine,
        parent=run,
        action=_("Lignes de participation calculées"),
        count=lines.height,
        user=run.created_by,
    )
    RunService.objects.bulk_create(
        [_run_service(run, tariff, result) for tariff, result in computed.results]
    )
    members, subscriptions, usage = frames.to_snapshot()
    run.members_snapshot, run.subscriptions_snapshot, run.usage_snapshot = (
        members,
        subscriptions,
        usage,
    )
    run.fingerprint = frames.fingerprint(t.text for t in tariffs)
    run.fingerprint_version = FINGERPRINT_VERSION
    run.total_cents = int(lines.filter(pl.col("issuer").is_null())["amount_cents"].sum())
    run.line_count = lines.height
    run.save(
        update_fields=[
            "members_snapshot",
            "subscriptions_snapshot",
            "usage_snapshot",
            "fingerprint",
            "fingerprint_version",
            "total_cents",
            "line_count",
            "updated_at",
        ]
    )
    return {"lines": run.line_count, "total_cents": run.total_cents}


def _run_service(run: AllocationRun, tariff: Tariff, result: AllocationResult) -> RunService:
    return RunService(
        run=run,
        service_id=tariff.service_id,
        tariff=tariff,
        rule=result.rule.value,
        net_cost_cents=result.net_cost_cents,
        subsidies_cents=sum(value for _label, value in result.subsidies),
        charged_cents=result.total_cents(),
        unallocated_cents=result.unallocated_cents,
        line_count=result.lines.height,
    )


def _key(values: tuple) -> tuple:
    """A comparable line: no None (an absent issuer is 0)."""
    return tuple(0 if value is None else value for value in values)


def run_reproduce(*, run: AllocationRun) -> tuple[bool, int]:
    """Recomputes a stored run from its snapshot and tariff versions: (identical?, differences)."""
    if not run.is_finished or run.status == RunStatus.FAILED:
        raise ValidationError(_("Ce calcul n'est pas terminé."))
    frames = EngineFrames.from_snapshot(
        run.members_snapshot, run.subscriptions_snapshot, run.usage_snapshot
    )
    tariffs = [
        rs.tariff for rs in run.services.select_related("tariff__service").order_by("tariff_id")
    ]
    texts = (t.text for t in tariffs)
    if frames.fingerprint(texts, version=run.fingerprint_version) != run.fingerprint:
        return False, -1
    fresh = sorted(
        _key(line) for line in compute(tariffs=tariffs, frames=frames, year=run.year).lines
    )
    stored = sorted(
        _key(values)
        for values in run.lines.values_list(*LINE_KEY, "explanation").iterator(chunk_size=5000)
    )
    differences = sum(1 for a, b in zip(fresh, stored, strict=False) if a != b)
    differences += abs(len(fresh) - len(stored))
    return differences == 0, differences


@transaction.atomic
def run_validate(*, run: AllocationRun) -> AllocationRun:
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.COMPUTED:
        raise ValidationError(_("Seul un calcul terminé peut être validé."))
    if AllocationRun.objects.filter(year=run.year, status=RunStatus.VALIDATED).exists():
        raise ValidationError(
            _(
                "Un calcul est déjà validé pour %(year)s : ses titres font foi. Pour le "
                "corriger, comparez ce calcul au calcul validé et validez-le comme correction."
            )
            % {"year": run.year}
        )
    run.status = RunStatus.VALIDATED
    run.validated_at = timezone.now()
    try:
        with transaction.atomic():
            run.save(update_fields=["status", "validated_at", "updated_at"])
    except IntegrityError as error:
        raise ValidationError(_("Un calcul est déjà validé pour cette année.")) from error
    return run
