"""A run computed after the validated one corrects it: compared payer by payer, then validated
as a correction that supersedes it and issues titres complémentaires and réductions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mutualis.billing.models import AllocationRun, Invoice, InvoiceKind, RunStatus
from mutualis.billing.services import tariffs
from mutualis.billing.services.corrections import run_compare, run_validate_correction
from mutualis.billing.services.invoices import (
    invoice_balance_cents,
    invoice_correct,
    invoices_issue,
)
from mutualis.billing.tests.conftest import ENT, computed_run
from mutualis.governance.services import operator_decision

DAY = dt.date(2026, 11, 16)
LATER = dt.date(2026, 11, 27)
# The committee exempts the communes under 500 inhabitants from the ENT: their share goes to
# the others (docs/billing.md, § 7).
ENT_V2 = ENT + '\n[[exemptions]]\nkinds = ["commune"]\npopulation_below = 500\n'


def adopt_ent_v2(world):
    ent = world["tariffs"][0]
    draft = tariffs.tariff_new_version(tariff=ent)
    tariffs.tariff_update(tariff=draft, text=ENT_V2, note="exonération des petites communes")
    decision = operator_decision(
        body="Comité syndical",
        number="2026-31",
        date=dt.date(2026, 11, 20),
        subject="ENT : exonération des communes de moins de 500 habitants",
    )
    return tariffs.tariff_adopt(tariff=draft, decision=decision)


@pytest.fixture
def corrected(issued_titres, world):
    """The validated run with its titres, the ENT re-adopted, a new run computed."""
    adopt_ent_v2(world)
    return issued_titres, computed_run(world)


def test_the_comparison_payer_by_payer_and_service_by_service(corrected, world):
    base, run = corrected
    comparison = run_compare(run=run, base=base)
    small, big, medium = world["communes"]
    rows = {row.payer_id: row for row in comparison.rows}
    assert [(rows[m.pk].validated_cents, rows[m.pk].new_cents) for m in (small, big, medium)] == [
        (36000, 0),
        (516400, 542926),
        (184960, 194434),
    ]
    assert [rows[m.pk].action for m in (small, big, medium)] == [
        InvoiceKind.REDUCTION,
        InvoiceKind.COMPLEMENTARY,
        InvoiceKind.COMPLEMENTARY,
    ]
    ent, certificats = rows[big.pk].services
    assert (ent.service_id, ent.difference_cents) == (world["ent"].pk, 26526)
    assert (certificats.service_id, certificats.difference_cents) == (world["certificats"].pk, 0)
    assert comparison.difference_cents == run.total_cents - base.total_cents == 0


def test_validating_the_correction_supersedes_the_validated_run(corrected):
    base, run = corrected
    correction = run_validate_correction(run=run, issued_on=LATER, reason="Exonération ENT")
    base.refresh_from_db()
    run.refresh_from_db()
    assert (base.status, run.status) == (RunStatus.SUPERSEDED, RunStatus.VALIDATED)
    assert run.supersedes == base and base.superseded_by == run
    assert AllocationRun.objects.filter(year=2026, status=RunStatus.VALIDATED).get() == run
    assert correction.total_cents == run.total_cents - base.total_cents


def test_an_increase_is_a_titre_complementaire_citing_the_titre_and_the_decision(corrected, world):
    _base, run = corrected
    correction = run_validate_correction(run=run, issued_on=LATER, reason="Exonération ENT")
    big = world["communes"][1]
    titre = Invoice.objects.get(member=big, kind=InvoiceKind.INVOICE)
    complementary = Invoice.objects.get(member=big, kind=InvoiceKind.COMPLEMENTARY)
    assert complementary in correction.complementary
    assert complementary.original == titre
    assert complementary.total_cents == 26526
    assert complementary.decision.number == "2026-31"
    assert (complementary.series, complementary.year) == ("T", 2026)
    assert complementary.reason == "Exonération ENT"
    assert complementary.bordereau == titre.bordereau + 1
    assert [(line.label, line.amount_cents) for line in complementary.lines.all()] == [
        (world["ent"].name, 26526)
    ]
    # the titres of the year stay one gapless series: 1-3 for the titres, then 4-5
    numbers = sorted(Invoice.objects.filter(series="T", year=2026).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    assert invoice_balance_cents(titre) == titre.total_cents  # the titre itself is untouched


def test_a_decrease_is_a_reduction_of_the_titre(corrected, world):
    _base, run = corrected
    run_validate_correction(run=run, issued_on=LATER, reason="Exonération ENT")
    small = world["communes"][0]
    titre = Invoice.objects.get(member=small, kind=InvoiceKind.INVOICE)
    reduction = Invoice.objects.get(member=small, kind=InvoiceKind.REDUCTION)
    assert (reduction.original, reduction.total_cents, reduction.series) == (titre, -36000, "R")
    assert reduction.run == run and reduction.decision.number == "2026-31"
    assert invoice_balance_cents(titre) == 0


def test_issuing_from_the_corrected_run_never_bills_a_payer_twice(corrected):
    _base, run = corrected
    run_validate_correction(run=run, issued_on=LATER, reason="Exonération ENT")
    run.refresh_from_db()
    assert invoices_issue(run=run, issued_on=LATER) == []
    assert Invoice.objects.filter(kind=InvoiceKind.INVOICE).count() == 3


def test_a_payer_new_in_the_year_gets_an_ordinary_titre(issued_titres, world):
    from mutualis.billing.tests.conftest import add_usage, make_communes
    from mutualis.catalog.tests.factories import SubscriptionFactory

    (late,) = make_communes(world["epci"], [2000])
    SubscriptionFactory(member=late, service=world["ent"], start_date=dt.date(2020, 1, 1))
    add_usage([late], world["ent"], ["60"])
    run = computed_run(world)
    correction = run_validate_correction(run=run, issued_on=LATER, reason="Commune oubliée")
    titre = Invoice.objects.get(member=late)
    assert correction.invoices == [titre]
    assert (titre.kind, titre.run, titre.original) == (InvoiceKind.INVOICE, run, None)
    assert (
        titre.total_cents == run.lines.filter(payer=late).values_list("amount_cents", flat=True)[0]
    )
    assert correction.total_cents == run.total_cents - issued_titres.total_cents


def test_a_second_correction_reduces_the_titre_complementaire_first(corrected, world):
    _base, run = corrected
    run_validate_correction(run=run, issued_on=LATER, reason="Exonération ENT")
    ent_v2 = world["ent"].tariffs.get(status="adopted")
    draft = tariffs.tariff_new_version(tariff=ent_v2)
    tariffs.tariff_update(tariff=draft, text=ENT)  # back to the first tariff
    tariffs.tariff_adopt_by_vote(
        tariff=draft, body="Comité syndical", number="2026-32", date=dt.date(2026, 11, 27)
    )
    again = computed_run(world)
    correction = run_validate_correction(run=again, issued_on=LATER, reason="Retour au tarif")
    big = world["communes"][1]
    complementary = Invoice.objects.get(member=big, kind=InvoiceKind.COMPLEMENTARY)
    reduction = Invoice.objects.get(member=big, kind=InvoiceKind.REDUCTION)
    assert (reduction.original, reduction.total_cents) == (complementary, -26526)
    assert reduction.decision.number == "2026-32"
    assert correction.total_cents == 0
    run.refresh_from_db()
    again.refresh_from_db()
    assert (run.status, again.supersedes) == (RunStatus.SUPERSEDED, run)
    small = world["communes"][0]
    assert Invoice.objects.get(member=small, kind=InvoiceKind.COMPLEMENTARY).total_cents == 36000


def test_a_decrease_beyond_what_remains_due_is_refused_naming_the_payer(corrected, world):
    _base, run = corrected
    small = world["communes"][0]
    titre = Invoice.objects.get(member=small, kind=InvoiceKind.INVOICE)
    invoice_correct(
        original=titre,
        kind=InvoiceKind.REDUCTION,
        amount_cents=10000,
        reason="geste",
        issued_on=DAY,
    )
    with pytest.raises(ValidationError) as error:
        run_validate_correction(run=run, issued_on=LATER, reason="Exonération ENT")
    message = " ".join(error.value.messages)
    assert "ne dépasse jamais le reste dû" in message and small.name in message
    assert "360,00" in message and "260,00" in message
    run.refresh_from_db()
    assert run.status == RunStatus.COMPUTED
    assert not Invoice.objects.filter(kind=InvoiceKind.COMPLEMENTARY).exists()


def test_the_titres_of_the_validated_run_must_be_issued_first(world):
    computed_run(world, validate=True)
    adopt_ent_v2(world)
    run = computed_run(world)
    with pytest.raises(ValidationError, match="émettez-les d'abord"):
        run_validate_correction(run=run, issued_on=LATER, reason="Exonération ENT")


def test_a_correction_is_not_dated_in_the_future_nor_before_the_titres(corrected):
    from django.utils import timezone

    _base, run = corrected
    with pytest.raises(ValidationError) as error:
        run_validate_correction(
            run=run, issued_on=timezone.localdate() + dt.timedelta(days=1), reason="x"
        )
    assert "ne peut pas être dans le futur" in error.value.message_dict["issued_on"][0]
    with pytest.raises(ValidationError) as error:
        run_validate_correction(run=run, issued_on=dt.date(2026, 11, 1), reason="x")
    assert "d'avant l'émission du titre" in error.value.message_dict["issued_on"][0]
    run.refresh_from_db()
    assert run.status == RunStatus.COMPUTED


def test_only_a_later_computed_run_corrects_the_validated_one(world):
    older = computed_run(world)
    base = computed_run(world, validate=True)
    invoices_issue(run=base, issued_on=DAY)
    with pytest.raises(ValidationError, match="Seul un calcul terminé"):
        run_validate_correction(run=base, issued_on=LATER, reason="x")
    with pytest.raises(ValidationError, match="avant le calcul validé"):
        run_validate_correction(run=older, issued_on=LATER, reason="x")


def test_a_plain_validation_points_to_the_correction(corrected):
    from mutualis.billing.services.runs import run_validate

    _base, run = corrected
    with pytest.raises(ValidationError, match="validez-le comme correction"):
        run_validate(run=run)
