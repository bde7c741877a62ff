"""The demo's references of savings: a « prix seul » per service and size class, and the
cost of a technician's day hired alone, each with the source an operator would give."""

from decimal import Decimal

from mutualis.catalog.models import ReferencePrice, Service
from mutualis.catalog.services import reference_price_set
from mutualis.insights.services import savings_reference_update
from mutualis.members.size import SizeClass

# Yearly price alone, in euros, for a commune of 500 to 1 999 inhabitants.
BASE_PRICES = {
    "sauvegarde": 900,
    "hebergement-site": 600,
    "messagerie": 450,
    "rgpd": 1500,
    "actes": 500,
    "helios": 450,
    "parapheur": 900,
    "convocation": 600,
    "certificats": 300,
    "archivage": 700,
    "ent-ecoles": 800,
    "assistance": 1200,
    "logiciels-metier": 3500,
}
# A larger collectivité buys more accounts, storage and support: the price grows with size.
SCALE = {
    SizeClass.UNDER_500: Decimal("0.7"),
    SizeClass.UNDER_2000: Decimal("1"),
    SizeClass.UNDER_5000: Decimal("1.8"),
    SizeClass.UNDER_20000: Decimal("3.5"),
    SizeClass.UNDER_50000: Decimal("7"),
    SizeClass.LARGE: Decimal("12"),
    SizeClass.NO_POPULATION: Decimal("0.6"),
}
SOURCE = (
    "Estimation de l'opérateur d'après trois devis de prestataires privés reçus en 2025 pour "
    "des collectivités de cette taille (licence, hébergement et maintenance, hors temps "
    "d'agent) ; à actualiser chaque année."
)
DAY_COST = Decimal("260")
DAY_SOURCE = (
    "Technicien territorial (catégorie B, 5e échelon) à mi-temps : traitement et charges "
    "patronales 2026, poste de travail, formation et frais de recrutement, soit 27 300 € "
    "pour 105 jours travaillés par an."
)


def load_demo() -> dict[str, int]:
    services = {s.code: s for s in Service.objects.filter(code__in=list(BASE_PRICES))}
    for code, base in BASE_PRICES.items():
        service = services.get(code)
        if service is None:
            continue
        for size, factor in SCALE.items():
            reference_price_set(
                service=service, size_class=size, yearly_price=base * factor, source=SOURCE
            )
    savings_reference_update(staff_day_cost=DAY_COST, staff_day_cost_source=DAY_SOURCE)
    return {"prix de référence": ReferencePrice.objects.count()}
