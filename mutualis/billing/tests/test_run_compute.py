"""A run computes every charge of the year from the database, on the job queue."""

from mutualis.billing.models import ChargeLine, RunStatus
from mutualis.billing.services import runs
from mutualis.billing.tests.conftest import computed_run


def test_the_run_is_queued_then_computed_by_the_task(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_request(year=2026)
    run.refresh_from_db()
    assert run.status == RunStatus.COMPUTED
    assert run.task_id
    assert run.line_count == 6
    assert len(run.fingerprint) == 64


def test_cost_sharing_lines_sum_to_the_net_cost(world):
    run = computed_run(world)
    ent = run.services.get(service=world["ent"])
    assert ent.net_cost_cents == 720000  # 12 000 € − 40 % FEDER
    assert ent.subsidies_cents == 480000
    assert ent.charged_cents == 720000
    assert ent.unallocated_cents == 0
    amounts = dict(
        ChargeLine.objects.filter(run=run, service=world["ent"]).values_list(
            "member_id", "amount_cents"
        )
    )
    small, bourg, cerons = world["communes"]
    assert amounts == {small.pk: 36000, bourg.pk: 504000, cerons.pk: 180000}


def test_lines_carry_payer_quantity_and_a_french_explanation(world):
    run = computed_run(world)
    small, bourg, _cerons = world["communes"]
    line = ChargeLine.objects.get(run=run, service=world["certificats"], member=bourg)
    assert line.payer_id == bourg.pk
    assert line.quantity == 10
    assert line.amount_cents == 12400
    assert "10 certificats × 12,40\xa0€" in line.explanation
    exempt = ChargeLine.objects.get(run=run, service=world["certificats"], member=small)
    assert exempt.amount_cents == 0
    assert "exonération" in exempt.explanation
    assert run.total_cents == 720000 + 12400 + 4960


def test_a_year_without_adopted_tariff_fails_with_a_message(world):
    run = computed_run(world, year=2031)
    assert run.status == RunStatus.FAILED
    assert "Aucun tarif adopté pour 2031" in run.error


def test_a_finished_run_is_not_computed_again(world):
    run = computed_run(world)
    assert runs.run_compute(run_id=run.pk) is None
    assert ChargeLine.objects.filter(run=run).count() == 6


def test_validation_allows_one_validated_run_per_year(world):
    import pytest
    from django.core.exceptions import ValidationError

    computed_run(world, validate=True)
    second = computed_run(world)
    with pytest.raises(ValidationError):
        runs.run_validate(run=second)


def test_an_unexpected_error_fails_the_run_and_writes_no_line(world, monkeypatch):
    """A billing run is a job like an import: it never stays « En cours »."""
    from mutualis.billing.models import AllocationRun

    def broken(**kwargs):
        raise KeyError("colonne inconnue")

    monkeypatch.setattr(runs, "build_frames", broken)
    run = AllocationRun.objects.create(year=2026)
    runs.run_compute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "Erreur inattendue" in run.error
    assert run.finished_at is not None
    assert not ChargeLine.objects.filter(run=run).exists()
