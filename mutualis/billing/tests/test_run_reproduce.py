"""A stored run recomputed from its snapshot and tariff versions gives identical lines."""

from decimal import Decimal

from mutualis.billing.inputs import EngineFrames
from mutualis.billing.models import AllocationRun, ChargeLine, Tariff, TariffStatus
from mutualis.billing.services import runs
from mutualis.billing.tests.conftest import computed_run
from mutualis.metering.models import UsageRecord


def test_rerunning_a_stored_run_gives_identical_results(world):
    run = computed_run(world)
    assert runs.run_reproduce(run=run) == (True, 0)


def test_the_snapshot_protects_the_run_from_later_changes(world):
    run = computed_run(world)
    UsageRecord.objects.filter(service=world["ent"]).update(quantity=Decimal("999"))
    Tariff.objects.filter(pk=world["tariffs"][0].pk).update(status=TariffStatus.SUPERSEDED)
    assert runs.run_reproduce(run=run) == (True, 0)
    fresh = computed_run(world)
    assert fresh.fingerprint != run.fingerprint


def test_a_tampered_line_is_found(world):
    run = computed_run(world)
    line = ChargeLine.objects.filter(run=run).first()
    ChargeLine.objects.filter(pk=line.pk).update(amount_cents=line.amount_cents + 1)
    assert runs.run_reproduce(run=run) == (False, 1)


def test_two_runs_on_the_same_data_have_the_same_fingerprint_and_lines(world):
    first, second = computed_run(world), computed_run(world)
    assert first.fingerprint == second.fingerprint

    def lines(run):
        return sorted(
            ChargeLine.objects.filter(run=run).values_list(
                "service_id", "member_id", "payer_id", "amount_cents", "explanation"
            )
        )

    assert lines(first) == lines(second)


def test_a_new_run_is_fingerprinted_over_the_engine_columns(world):
    run = computed_run(world)
    assert run.fingerprint_version == 2
    frames = EngineFrames.from_snapshot(
        run.members_snapshot, run.subscriptions_snapshot, run.usage_snapshot
    )
    texts = [rs.tariff.text for rs in run.services.order_by("tariff_id")]
    assert frames.fingerprint(texts) == run.fingerprint
    assert frames.fingerprint(texts, version=1) != run.fingerprint


def test_a_run_stored_before_version_2_keeps_its_fingerprint_and_is_verified_with_it(world):
    run = computed_run(world)
    frames = EngineFrames.from_snapshot(
        run.members_snapshot, run.subscriptions_snapshot, run.usage_snapshot
    )
    texts = [rs.tariff.text for rs in run.services.order_by("tariff_id")]
    AllocationRun.objects.filter(pk=run.pk).update(
        fingerprint=frames.fingerprint(texts, version=1), fingerprint_version=1
    )
    run.refresh_from_db()
    assert runs.run_reproduce(run=run) == (True, 0)
    # A version 1 fingerprint that does not match its snapshot is found.
    AllocationRun.objects.filter(pk=run.pk).update(fingerprint="0" * 64)
    run.refresh_from_db()
    assert runs.run_reproduce(run=run) == (False, -1)
