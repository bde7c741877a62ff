"""Demo data of grouped purchasing, loaded after the demo operator (mutualis/demo):

- « Téléphonie mobile et gestion de flotte » (2024–2027), awarded, with three offers on the
  plans, the price each member paid alone (about five times the group's price for the small
  communes), savings and some orders;
- « Numérisation des registres d'état civil », collecting needs: every member commune is
  invited, some have answered; the `mairie` login's commune has not answered yet.

Idempotent (a campaign already there is left as it is) and deterministic (seeded draws).
"""

import datetime as dt
import random
from decimal import Decimal as D

from django.db import transaction
from django.utils import timezone

from mutualis.members.models import AgentAccess, Member, MemberKind, Membership
from mutualis.purchasing.models import Campaign, CampaignStatus, InvitationMode, Need, Order
from mutualis.purchasing.services.campaigns import (
    campaign_create,
    campaign_invite,
    campaign_transition,
    lot_create,
)
from mutualis.purchasing.services.needs import NeedEntry, needs_set
from mutualis.purchasing.services.offers import criterion_create, lot_award, offer_set
from mutualis.purchasing.services.orders import order_create

PHONES = "Téléphonie mobile et gestion de flotte 2024-2027"
CIVIL = "Numérisation des registres d'état civil"

# Yearly price of a mobile plan alone, by population: the smallest pay about 5× the group.
PLAN_ALONE = ((500, D("300")), (2000, D("240")), (10000, D("156")), (None, D("96")))
PLAN_OFFERS = (
    ("Orange Business Services", "380129866", D("96"), [(D(500), D("72")), (D(1000), D("60"))], 7),
    ("SFR Business", "343059564", D("90"), [(D(800), D("66"))], 6),
    ("Bouygues Telecom Entreprises", "397480930", D("84"), [(D(1000), D("63"))], 8),
)


def _agent_member(username: str) -> Member | None:
    access = AgentAccess.objects.filter(user__username=username).select_related("member").first()
    return access.member if access else None


def _alone_plan_price(population: int | None) -> D:
    for ceiling, price in PLAN_ALONE:
        if ceiling is None or (population or 0) < ceiling:
            return price
    return PLAN_ALONE[-1][1]


def _adherents(day: dt.date):
    return Member.objects.filter(
        pk__in=Membership.objects.active_on(day).values("member_id")
    ).order_by("pk")


@transaction.atomic
def load_demo() -> dict[str, int]:
    if not Campaign.objects.filter(name=PHONES).exists():
        _phones()
    if not Campaign.objects.filter(name=CIVIL).exists():
        _civil_status()
    return {
        "campagnes d'achat": Campaign.objects.count(),
        "besoins": Need.objects.count(),
        "commandes": Order.objects.count(),
    }


def _phones() -> None:
    rng = random.Random("purchasing-phones")
    epci = _agent_member("epci")
    mairie = _agent_member("mairie")
    campaign = campaign_create(
        name=PHONES,
        description=(
            "Forfaits voix et données, terminaux et gestion de flotte pour les collectivités "
            "du groupement. Chaque membre signe son marché subséquent et commande."
        ),
        needs_deadline=dt.date(2023, 3, 31),
        offers_deadline=dt.date(2023, 6, 30),
        award_date=dt.date(2023, 9, 28),
        contract_start=dt.date(2024, 1, 1),
        contract_end=dt.date(2027, 12, 31),
        agreement_reference="GC-TEL-2023",
        agreement_date=dt.date(2022, 12, 15),
        price_weight=60,
    )
    plans = lot_create(
        campaign=campaign,
        name="Forfaits mobiles voix et données",
        unit="ligne par an",
        description="Appels et SMS illimités, 20 Go de données, en France et en Europe.",
        max_quantity=D(1500),
        reference_unit_price=D("240"),
    )
    phones = lot_create(
        campaign=campaign,
        name="Smartphones",
        unit="appareil",
        description="Smartphone durable reconditionné ou neuf, coque et protection incluses.",
        max_quantity=D(500),
        reference_unit_price=D("420"),
    )
    fleet = lot_create(
        campaign=campaign,
        name="Gestion de flotte",
        unit="ligne gérée par an",
        description="Portail de gestion des lignes, inventaire, sécurisation des terminaux.",
        reference_unit_price=D("24"),
    )
    criterion = criterion_create(campaign=campaign, name="Valeur technique", weight=40)
    day = timezone.localdate()
    invited = list(_adherents(day).filter(kind__in=[MemberKind.COMMUNE, MemberKind.EPCI]))
    chosen = [
        m
        for m in invited
        if (epci and m.epci_id == epci.epci_id) or m == mairie or rng.random() < 0.25
    ]
    campaign_invite(campaign=campaign, mode=InvitationMode.CHOSEN, members=chosen, day=day)
    campaign_transition(campaign=campaign, status=CampaignStatus.NEEDS)
    answered_at = timezone.make_aware(dt.datetime(2023, 3, 20, 10, 0))
    participants = []
    for member in chosen:
        if member != mairie and member != epci and rng.random() < 0.15:
            continue  # did not answer
        population = member.population or 0
        lines = (
            D(max(2, min(60, population // 150))) if member.kind == MemberKind.COMMUNE else D(25)
        )
        entries = [
            NeedEntry(plans, lines, _alone_plan_price(population)),
            NeedEntry(
                phones,
                D(max(1, int(lines) // 2)),
                D("480") if population < 2000 else D("390"),
            ),
            NeedEntry(fleet, lines if rng.random() < 0.6 else None, None),
        ]
        needs_set(
            campaign=campaign, member=member, entries=entries, source="operator", now=answered_at
        )
        participants.append(member)
    campaign_transition(campaign=campaign, status=CampaignStatus.OFFERS)
    received = dt.date(2023, 6, 28)
    award = {"decision_body": "Comité syndical", "decision_date": dt.date(2023, 9, 28)}
    offers = [
        offer_set(
            lot=plans,
            supplier_name=name,
            supplier_siren=siren,
            unit_price=price,
            tiers=tiers,
            scores={criterion: D(score)},
            received_on=received,
        )
        for name, siren, price, tiers, score in PLAN_OFFERS
    ]
    lot_award(
        lot=plans,
        offer=offers[0],
        decision_number="2023-41",
        justification=(
            "Seule offre couvrant en 4G les communes de la vallée, constaté lors des essais "
            "de couverture : retenue malgré une note pondérée un peu inférieure."
        ),
        **award,
    )
    phone_offers = [
        offer_set(
            lot=phones,
            supplier_name=name,
            supplier_siren=siren,
            unit_price=price,
            scores={criterion: D(score)},
            received_on=received,
        )
        for name, siren, price, score in (
            ("Econocom Products and Solutions", "326966777", D("245"), 8),
            ("Bouygues Telecom Entreprises", "397480930", D("259"), 7),
        )
    ]
    lot_award(lot=phones, offer=phone_offers[0], decision_number="2023-42", **award)
    fleet_offer = offer_set(
        lot=fleet,
        supplier_name="Orange Business Services",
        supplier_siren="380129866",
        unit_price=D("9"),
        scores={criterion: D(7)},
        received_on=received,
    )
    lot_award(lot=fleet, offer=fleet_offer, decision_number="2023-43", **award)
    campaign_transition(campaign=campaign, status=CampaignStatus.AWARDED)
    for index, member in enumerate(participants):
        if member != mairie and index % 3:
            continue
        need = Need.objects.get(lot=plans, member=member)
        order_create(
            lot=plans,
            member=member,
            ordered_on=dt.date(2024, 1, 15),
            quantity=need.quantity,
            reference=f"BC-2024-{index + 1:03d}",
        )
        order_create(
            lot=phones,
            member=member,
            ordered_on=dt.date(2024, 2, 1),
            quantity=D(max(1, int(need.quantity) // 2)),
            reference=f"BC-2024-T{index + 1:03d}",
        )


def _civil_status() -> None:
    rng = random.Random("purchasing-civil-status")
    mairie = _agent_member("mairie")
    today = timezone.localdate()
    deadline = today + dt.timedelta(days=45)
    campaign = campaign_create(
        name=CIVIL,
        description=(
            "Numérisation des registres de naissance, mariage et décès, restauration des "
            "registres abîmés, indexation. Sur le marché, un acte numérisé coûte environ "
            "1,20 € à une commune seule ; le groupement vise 0,40 €."
        ),
        needs_deadline=deadline,
        offers_deadline=deadline + dt.timedelta(days=60),
        award_date=deadline + dt.timedelta(days=90),
        contract_start=deadline + dt.timedelta(days=120),
        contract_end=deadline + dt.timedelta(days=120 + 3 * 365),
        agreement_reference="GC-EC-2026",
        agreement_date=today - dt.timedelta(days=30),
    )
    records = lot_create(
        campaign=campaign,
        name="Numérisation des actes",
        unit="acte",
        description="Numérisation en haute définition, contrôle qualité, fichiers PDF/A et TIFF.",
        reference_unit_price=D("1.20"),
    )
    restoration = lot_create(
        campaign=campaign,
        name="Restauration de registres",
        unit="registre",
        description="Dépoussiérage, consolidation et reliure des registres abîmés.",
        reference_unit_price=D("85"),
    )
    criterion_create(campaign=campaign, name="Valeur technique", weight=40)
    campaign_invite(campaign=campaign, mode=InvitationMode.KIND, kind=MemberKind.COMMUNE)
    campaign_transition(campaign=campaign, status=CampaignStatus.NEEDS)
    now = timezone.now()
    for invitation in campaign.invitations.select_related("member").order_by("member_id"):
        member = invitation.member
        if member == mairie or rng.random() > 0.4:
            continue
        population = member.population or 300
        acts = D(max(500, population * 3) // 100 * 100)
        needs_set(
            campaign=campaign,
            member=member,
            entries=[
                NeedEntry(records, acts, D("1.20") if rng.random() < 0.5 else None),
                NeedEntry(restoration, D(rng.randint(0, 6)) or None, None),
            ],
            source="operator",
            now=now,
        )
