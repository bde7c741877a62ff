"""Billing for the demo operator: its identity as creditor (a syndicat mixte in Gironde), 2026
tariffs (from demo_tariffs/*.toml), twelve months of usage, a validated 2026 run with its
titres, and a draft to simulate.

Deterministic (values drawn from generators seeded by the entity) and idempotent: a second
call finds everything in place and changes nothing. Call it after mutualis.demo.services.
"""

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from mutualis.billing.models import (
    AllocationRun,
    Invoice,
    OperatorIdentity,
    RunStatus,
    Tariff,
    TariffStatus,
)
from mutualis.billing.services import identity, invoices, runs, tariffs
from mutualis.catalog.models import Service, Subscription
from mutualis.governance.services import operator_decision
from mutualis.members.models import Member, MemberKind
from mutualis.metering.models import Period, UsageRecord, UsageSource
from mutualis.territory.models import Commune
from mutualis.territory.postcodes import postcode

YEAR = 2026
TARIFF_DIR = Path(__file__).parent / "demo_tariffs"
# The titres of the demo are dated in the past (an issue date is never in the future).
ISSUED_ON = dt.date(YEAR, 11, 16)
DEMO_NOTE = "démonstration"


# Fictitious but well-formed: the SIRET passes its Luhn key, the IBAN (a Banque de France
# account of the DGFiP, bank code 30001) its RIB and mod-97 keys.
DEMO_IDENTITY = {
    "name": "Syndicat mixte Gironde Services Numériques",
    "address": "Immeuble Le Mascaret\n12 rue des Frères-Lumière\n33130 Bègles",
    "siret": "25330100600016",
    "ordonnateur_name": "Hélène Duprat",
    "ordonnateur_title": "La Présidente",
    "accountant_name": "Service de gestion comptable de l'Entre-deux-Mers",
    "accountant_address": "3 allée du Trésor public\nCS 20 101\n33500 Libourne",
    "iban": "FR7630001002150000330012824",
    "bic": "BDFEFRPPCCT",
    "poste_code": "033060",
    "poste_label": "SGC Entre-deux-Mers",
    "collectivity_code": "142",
    "budget_code": "00",
    "budget_label": "Budget principal",
    "nature": "70848",
    "chapter": "70",
    "function": "",
    "product_code": "PART",
}


def _identity() -> None:
    if not OperatorIdentity.objects.exists():
        identity.identity_update(**DEMO_IDENTITY)


def _town(member: Member) -> Commune | None:
    if member.commune_id:
        return member.commune
    if member.territory_epci_id:
        return (
            Commune.objects.filter(epci_id=member.territory_epci_id).order_by("-population").first()
        )
    if member.parent_id:
        return _town(member.parent)
    return None


def _addresses(run: AllocationRun) -> None:
    """A postal address for each payer of the run without one (the avis and the PES file need
    it), with the town's real postal code (territory data); none rather than a wrong one."""
    payers = Member.objects.filter(
        pk__in=run.lines.operator_billed().values("payer_id"), address=""
    ).select_related("commune", "parent")
    for member in payers:
        if member.kind == MemberKind.DEPARTEMENT:
            address = "Hôtel du Département\nEsplanade Charles-de-Gaulle\n33074 Bordeaux Cedex"
        else:
            town = _town(member)
            name, code = (town.name, postcode(town.insee_code)) if town else ("Bordeaux", "33000")
            street = (
                "Place de la Mairie"
                if member.kind == MemberKind.COMMUNE
                else "1 rue de la République"
            )
            address = f"{street}\n" + " ".join(part for part in (code, name) if part)
        member.address = address
        member.save(update_fields=["address"])


def _rng(*key: object) -> random.Random:
    return random.Random("-".join(map(str, key)))


def _monthly(code: str, member: Member, month: int, rng: random.Random) -> Decimal | None:
    """A plausible reading of `code` for `member` in `month` (None: no reading)."""
    population = member.population or 0
    growth = Decimal(100 + month) / 100
    if code == "sauvegarde":
        base = 20 + population // 40 + rng.randint(0, 40)
        return (Decimal(base) * growth).quantize(Decimal("0.001"))
    if code == "ent-ecoles":
        return Decimal(max(8, population * 9 // 100) + rng.randint(-3, 3))
    if code == "certificats":
        return Decimal(rng.choice([0, 0, 1, 1, 2, 3]))
    if code == "messagerie":
        return Decimal(2 + population // 400 + (month > 6) * rng.randint(0, 2))
    if code == "rgpd":
        return Decimal(population or 200)
    if code == "logiciels-metier":
        return Decimal(population or 150)
    if code == "assistance":
        return Decimal(1 + rng.randint(0, 4))
    if code == "parapheur":
        return Decimal(1 + population // 2500 + rng.randint(0, 1))
    return None


def _tariffs(departement: Member) -> dict[str, Tariff]:
    loaded = {}
    for path in sorted(TARIFF_DIR.glob(f"*-{YEAR}.toml")):
        code = path.name.removesuffix(f"-{YEAR}.toml")
        existing = Tariff.objects.filter(service__code=code, year=YEAR).order_by("version").first()
        if existing is None:
            text = path.read_text(encoding="utf-8").replace("{departement}", str(departement.pk))
            existing = tariffs.tariff_import_text(text=text, source=path.name)
        loaded[code] = existing
    decision = None
    for tariff in loaded.values():
        if tariff.status == TariffStatus.DRAFT and tariff.version == 1:
            decision = decision or operator_decision(
                body="Comité syndical",
                number=f"{YEAR - 1}-42",
                date=dt.date(YEAR - 1, 12, 10),
                subject=f"Charte de service mutualisé : tarifs {YEAR}",
            )
            tariffs.tariff_adopt(tariff=tariff, decision=decision)
    backup = loaded.get("sauvegarde")
    if backup is not None and not Tariff.objects.filter(
        service=backup.service, year=YEAR, version=2
    ):
        draft = tariffs.tariff_new_version(tariff=backup)
        tariffs.tariff_update(
            tariff=draft,
            text=draft.text.replace("base = 200", "base = 180").replace(
                "coefficients = [1, 1.25, 1.5, 1.75, 2]", "coefficients = [1, 1.3, 1.6, 1.9, 2.2]"
            ),
            note="Projet : base réduite, crans plus marqués (à voter)",
        )
    return loaded


def _usage(services: list[Service]) -> int:
    if UsageRecord.objects.filter(year=YEAR, note=DEMO_NOTE).exists():
        return 0
    first, last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    subscriptions = (
        Subscription.objects.filter(service__in=services, start_date__lte=last)
        .exclude(end_date__lt=first)
        .select_related("member", "service")
        .order_by("pk")
    )
    records = []
    for subscription in subscriptions:
        member, code = subscription.member, subscription.service.code
        rng = _rng(code, member.pk, member.name)
        start_month = subscription.start_date.month if subscription.start_date > first else 1
        for month in range(start_month, 13):
            quantity = _monthly(code, member, month, rng)
            if quantity is None:
                continue
            records.append(
                UsageRecord(
                    member=member,
                    service=subscription.service,
                    period=Period.MONTH,
                    year=YEAR,
                    month=month,
                    quantity=quantity,
                    source=UsageSource.IMPORT,
                    note=DEMO_NOTE,
                )
            )
    UsageRecord.objects.bulk_create(records, batch_size=2000, ignore_conflicts=True)
    return len(records)


def _run() -> AllocationRun | None:
    run = AllocationRun.objects.filter(year=YEAR, status=RunStatus.VALIDATED).first()
    if run is None:
        run = AllocationRun.objects.create(year=YEAR)
        runs.run_compute(run_id=run.pk)
        run.refresh_from_db()
        if run.status != RunStatus.COMPUTED:
            return run
        run = runs.run_validate(run=run)
    _addresses(run)
    invoices.invoices_issue(run=run, issued_on=min(ISSUED_ON, timezone.localdate()))
    return run


@transaction.atomic
def load_demo() -> dict[str, int]:
    departement = Member.objects.filter(kind=MemberKind.DEPARTEMENT).order_by("pk").first()
    if departement is None:
        raise RuntimeError("load the demo operator first (mutualis.demo.services.demo_load)")
    _identity()
    loaded = _tariffs(departement)
    metered = [t.service for t in loaded.values() if t.service.code != "hebergement-site"]
    _usage(metered)
    run = _run()
    return {
        "tarifs": Tariff.objects.count(),
        "relevés": UsageRecord.objects.filter(year=YEAR).count(),
        "lignes du calcul": run.line_count if run else 0,
        "titres": Invoice.objects.count(),
    }
