"""The set-based run and issuing give, to the cent and to the word, what the former path gave:
one `Charge` record and one model instance per line (kept here as the reference), on the test
world and on a generated larger operator (EPCIs paying for their communes and re-billing them,
establishments, subscriptions starting in the year, quarterly readings, cost sharing)."""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import polars as pl

from mutualis.billing.inputs import build_frames
from mutualis.billing.models import ChargeLine, Invoice, InvoiceLine, Tariff
from mutualis.billing.services import runs, tariffs
from mutualis.billing.services.invoices import invoices_issue
from mutualis.billing.services.tariffs import engine_tariff
from mutualis.billing.tests.conftest import computed_run, make_communes
from mutualis.catalog.models import Subscription, SubscriptionScope, Unit, UsageKind
from mutualis.catalog.services import subscription_create
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.engine import ChargeRule, Inputs, UsageColumns, allocate_many, explain
from mutualis.engine.frames import charges
from mutualis.engine.money import format_eur
from mutualis.members.models import Member
from mutualis.members.tests.factories import EpciMemberFactory, EstablishmentFactory
from mutualis.metering.models import PERIOD_MONTHS, UsageRecord

COMPTES = """service = "{code}"
year = 2026
unit = "comptes"

[usage]
mode = "flow"

[[components]]
type = "unit_price"
price = 10.35

[[exemptions]]
kinds = ["commune"]
population_below = 300
"""

# A flat fee whatever the quantity: lines of every quantity share one explanation (computed
# once), which must still be each line's own text, word for word.
FORFAIT = """service = "{code}"
year = 2026

[[components]]
type = "flat"
amount = 95.5
by_kind = {{ epci = 310 }}

[[exemptions]]
kinds = ["commune"]
population_below = 300
"""


def reference_usage(year, service_ids):
    """The former reading of usage: the ORM, row by row."""
    rows = UsageRecord.objects.filter(year=year, service_id__in=service_ids).values_list(
        "member_id", "service__code", "period", "month", "quantity"
    )
    usage = UsageColumns()
    for member_id, code, period, month, quantity in rows.order_by("pk"):
        usage.add(str(member_id), code, year, month + PERIOD_MONTHS[period] - 1, quantity)
    return usage.frame()


def reference_explanations(result):
    """The former explanations: every line explained on its own, from its whole row."""
    out = []
    for i, row in enumerate(result.lines.to_dicts()):
        if row["rule"] == ChargeRule.CONTRIBUTION:
            out.append(f"contribution fixe « {row['detail']} » = {format_eur(row['amount_cents'])}")
        elif row["rule"] == ChargeRule.REBILLING:
            out.append(explain._rebill(row))
        elif row["rule"] == ChargeRule.SHARING:
            out.append(explain._share(result.tariff, result, row, int(result.keys[i])))
        else:
            out.append(explain._priced(result.tariff, row))
    return out


def reference_lines(run):
    """The former lines: the engine's `Charge` records, one by one."""
    adopted = list(Tariff.objects.adopted().filter(year=run.year).order_by("pk"))
    ids = [t.service_id for t in adopted]
    frames = build_frames(year=run.year, service_ids=ids)
    assert frames.usage.equals(reference_usage(run.year, ids))
    parsed = [engine_tariff(t, year=run.year) for t in adopted]
    inputs = Inputs.build(frames.members, frames.subscriptions, frames.usage)
    results = allocate_many(parsed, inputs, run.year)
    return [
        (
            tariff.service_id,
            int(charge.member_id),
            int(charge.payer_id),
            int(charge.issuer_id) if charge.issuer_id else None,
            charge.rule.value,
            charge.quantity,
            charge.amount_cents,
            charge.explanation,
        )
        for tariff, result in zip(adopted, results, strict=True)
        for charge in charges(result.lines, reference_explanations(result))
    ]


def reference_invoice_lines(run):
    """The former lines of the titres: model instances grouped by payer, sorted by names."""
    by_payer = {invoice.member_id: invoice for invoice in Invoice.objects.filter(run=run)}
    grouped = defaultdict(list)
    for line in run.lines.operator_billed().select_related("service", "member"):
        if line.payer_id in by_payer:
            grouped[line.payer_id].append(line)
    expected = []
    for payer_id, payer_lines in grouped.items():
        for line in sorted(payer_lines, key=lambda li: (li.service.name, li.member.name)):
            label = (
                line.service.name
                if line.member_id == line.payer_id
                else f"{line.service.name} — {line.member.name}"
            )
            expected.append(
                (
                    by_payer[payer_id].pk,
                    line.service_id,
                    line.member_id,
                    label[:300],
                    line.quantity,
                    line.amount_cents,
                    line.explanation,
                )
            )
    return expected


def assert_same_results(run):
    expected = reference_lines(run)
    stored = list(
        ChargeLine.objects.filter(run=run).order_by("pk").values_list(*runs.LINE_KEY, "explanation")
    )
    assert stored == expected
    assert run.line_count == len(expected)
    assert run.total_cents == sum(line[6] for line in expected if line[3] is None)
    assert runs.run_reproduce(run=run) == (True, 0)
    run = runs.run_validate(run=run)
    invoices = invoices_issue(run=run, issued_on=dt.date(2026, 11, 16))
    owed = defaultdict(int)
    for line in expected:
        if line[3] is None:
            owed[line[2]] += line[6]
    assert {i.member_id: i.total_cents for i in invoices} == {
        payer: cents for payer, cents in owed.items() if cents > 0
    }
    # Numbered in the order of the payers' names, each with the payer's identity of the day.
    payers = Member.objects.filter(pk__in=[i.member_id for i in invoices]).order_by("name", "pk")
    first = invoices[0].number
    assert [
        (i.member_id, i.number, i.payer_name, i.payer_siren, i.payer_address) for i in invoices
    ] == [(m.pk, first + n, m.name, m.siren, m.address) for n, m in enumerate(payers)]
    assert {(i.kind, i.year, i.series, i.bordereau, i.due_on, i.reason) for i in invoices} == {
        ("invoice", 2026, "T", invoices[0].bordereau, dt.date(2026, 12, 16), "")
    }
    assert all(i.created_at and i.issued_by_id is None for i in invoices)
    stored_lines = list(
        InvoiceLine.objects.filter(invoice__run=run)
        .order_by("pk")
        .values_list(
            "invoice_id",
            "service_id",
            "member_id",
            "label",
            "quantity",
            "amount_cents",
            "explanation",
        )
    )
    assert stored_lines == reference_invoice_lines(run)
    return expected, stored_lines


def test_the_test_world_gives_the_same_lines_and_titres(world):
    run = computed_run(world)
    lines, invoice_lines = assert_same_results(run)
    assert len(lines) == 6
    assert len(invoice_lines) == 6  # a titre shows its lines at 0 € too


def _adopt(text):
    tariff = tariffs.tariff_import_text(text=text, source="t.toml")
    tariffs.tariff_adopt_by_vote(
        tariff=tariff, body="Comité syndical", number=str(tariff.pk), date=dt.date(2025, 12, 1)
    )


def _usage(member, service, quantity, *, period="month", month=6):
    return UsageRecord(
        member=member, service=service, period=period, year=2026, month=month, quantity=quantity
    )


def test_a_larger_operator_gives_the_same_lines_and_titres(world):
    rng = random.Random(12)
    epcis = [EpciMemberFactory(population=20000 + i) for i in range(3)]
    communes = {
        epci.pk: make_communes(epci, [rng.randint(80, 9000) for _ in range(25)]) for epci in epcis
    }
    schools = [EstablishmentFactory(parent=communes[epcis[2].pk][i]) for i in range(4)]
    comptes = ServiceFactory(unit=Unit.USER_ACCOUNT, usage_kind=UsageKind.FLOW)
    _adopt(COMPTES.format(code=comptes.code))
    forfait = ServiceFactory(unit=Unit.USER_ACCOUNT, usage_kind=UsageKind.FLOW)
    _adopt(FORFAIT.format(code=forfait.code))
    records = []
    # The first EPCI pays for its communes, re-bills them by use and its own share equally.
    subscription_create(
        member=epcis[0],
        service=comptes,
        start_date=dt.date(2026, 1, 1),
        scope=SubscriptionScope.WITH_COMMUNES,
        rebill_key="usage",
        rebill_own_key="equal",
    )
    records.append(_usage(epcis[0], comptes, Decimal("7.5")))
    # The second pays for its communes and re-bills them by population.
    subscription_create(
        member=epcis[1],
        service=comptes,
        start_date=dt.date(2026, 1, 1),
        scope=SubscriptionScope.WITH_COMMUNES,
        rebill_key="population",
    )
    # The third's communes subscribe for themselves, some from the middle of the year, some
    # with their schools; the EPCI itself for chosen schools.
    for i, commune in enumerate(communes[epcis[2].pk]):
        Subscription.objects.create(
            member=commune,
            service=world["ent"] if i % 2 else world["certificats"],
            start_date=dt.date(2026, 1 + i % 12, 1),
            scope=SubscriptionScope.WITH_ESTABLISHMENTS if i < 4 else SubscriptionScope.SELF,
        )
        Subscription.objects.create(member=commune, service=comptes, start_date=dt.date(2024, 1, 1))
        Subscription.objects.create(member=commune, service=forfait, start_date=dt.date(2026, 3, 1))
    chosen = Subscription.objects.create(
        member=epcis[2],
        service=world["certificats"],
        start_date=dt.date(2025, 1, 1),
        scope=SubscriptionScope.WITH_ESTABLISHMENTS,
    )
    chosen.covered_establishments.add(*schools[:2])
    for members in communes.values():
        for i, member in enumerate(members):
            records.append(_usage(member, comptes, Decimal(rng.randint(0, 40000)) / 1000))
            records.append(_usage(member, forfait, Decimal(rng.randint(1, 500))))
            records.append(
                _usage(member, world["ent"], Decimal(rng.randint(1, 900)), month=i % 12 + 1)
            )
            records.append(
                _usage(
                    member,
                    world["certificats"],
                    Decimal(rng.randint(0, 30)),
                    period="quarter",
                    month=1 + 3 * (i % 4),
                )
            )
    for school in schools:
        records.append(_usage(school, world["certificats"], Decimal(rng.randint(1, 9))))
        records.append(_usage(school, world["ent"], Decimal(rng.randint(1, 300))))
    UsageRecord.objects.bulk_create(records)

    run = computed_run(world)
    lines, invoice_lines = assert_same_results(run)
    assert len(lines) > 150
    flat = [line for line in lines if line[0] == forfait.pk]
    assert len({line[5] for line in flat}) > 10 and len({line[7] for line in flat}) < 5
    assert {line[4] for line in lines} >= {"tarif", "repartition", "refacturation"}
    assert len(invoice_lines) > 100
    assert pl.Series([line[6] for line in lines]).sum() > 0
