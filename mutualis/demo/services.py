"""A realistic demo operator on the real territory of Gironde (département 33).

Deterministic (seeded) and idempotent: a second run finds everything in place and changes
nothing.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from mutualis.catalog.models import (
    RequestStatus,
    Service,
    ServiceRequest,
    Subscription,
    Unit,
    UsageKind,
    YearlyReading,
)
from mutualis.catalog.services import subscription_create
from mutualis.core.models import User
from mutualis.core.roles import OperatorRole
from mutualis.demo.catalog import SERVICES
from mutualis.members.models import (
    EstablishmentKind,
    Member,
    MemberKind,
    Membership,
    MembershipPart,
)
from mutualis.members.services import (
    agent_grant_access,
    decision_create,
    member_create_from_commune,
    member_create_from_departement,
    member_create_from_epci,
    membership_create,
)
from mutualis.territory.models import Commune, Departement, Epci

DEPARTEMENT = "33"
DEPARTEMENT_SIREN = "223300019"
PASSWORD = "demo-mutualis"
NON_MEMBER_EPCIS = 2
COMMUNE_MEMBER_SHARE = 0.88


@dataclass(frozen=True)
class DemoLogin:
    username: str
    label: str
    role: str = ""


STAFF = [
    DemoLogin("admin", "Administratrice (directrice de l'opérateur)", OperatorRole.ADMINISTRATOR),
    DemoLogin("responsable", "Responsable des services", OperatorRole.MANAGER),
    DemoLogin("comptable", "Comptable", OperatorRole.ACCOUNTANT),
    DemoLogin("technicien", "Technicien", OperatorRole.TECHNICIAN),
    DemoLogin("lecture", "Élu du comité syndical (lecture seule)", OperatorRole.READ_ONLY),
]
AGENTS = [
    DemoLogin("mairie", "Secrétaire de mairie d'une commune rurale"),
    DemoLogin("epci", "Responsable informatique d'un EPCI (voit ses communes)"),
    DemoLogin("maire", "Maire de la même commune rurale (élu : ce que la mutualisation apporte)"),
]


def demo_logins() -> list[DemoLogin]:
    return STAFF + AGENTS


def _rng(*key: object) -> random.Random:
    """A generator seeded by the entity, so that every run draws the same values for it."""
    return random.Random("-".join(map(str, key)))


@transaction.atomic
def demo_load() -> dict[str, int]:
    departement = Departement.objects.get(code=DEPARTEMENT)
    services = _catalog()
    dept_member, _ = member_create_from_departement(
        departement=departement, siren=DEPARTEMENT_SIREN
    )
    _join(dept_member, dt.date(2012, 1, 1), "Conseil départemental", _rng(dept_member.siren))

    epcis = list(
        Epci.objects.filter(communes__departement=departement).distinct().order_by("siren")
    )
    # Two EPCIs stay outside, so that coverage means something.
    outside = {e.pk for e in sorted(epcis, key=lambda e: e.population)[1 : 1 + NON_MEMBER_EPCIS]}
    epci_members = {}
    for epci in epcis:
        member, _ = member_create_from_epci(epci=epci)
        epci_members[epci.pk] = member
        if epci.pk not in outside:
            rng = _rng(epci.siren)
            start = dt.date(rng.randint(2012, 2020), 1, 1)
            _join(member, start, "Conseil communautaire", rng)

    communes = list(Commune.objects.filter(departement=departement).order_by("insee_code"))
    commune_members = []
    for commune in communes:
        member, _ = member_create_from_commune(commune=commune)
        rng = _rng(commune.insee_code)
        if commune.epci_id in outside or rng.random() > COMMUNE_MEMBER_SHARE:
            continue
        _join(member, dt.date(rng.randint(2013, 2025), rng.choice([1, 4, 7]), 1), None, rng)
        commune_members.append(member)

    establishments = _establishments(commune_members, epci_members, outside)
    _subscriptions(services, dept_member, epci_members, outside, commune_members, establishments)
    agents = _users(commune_members, epci_members, outside)
    _requests(services, agents)
    return {
        "membres": Member.objects.count(),
        "adhésions": Membership.objects.count(),
        "services": Service.objects.count(),
        "souscriptions": Subscription.objects.count(),
    }


STOCK_UNITS = {
    Unit.GIGABYTE,
    Unit.PUPIL,
    Unit.USER_ACCOUNT,
    Unit.ESTABLISHMENT,
    Unit.INHABITANT,
    Unit.FLAT,
}


def _catalog() -> dict[str, Service]:
    services = {}
    for code, name, category, unit, kinds, description in SERVICES:
        stock = unit in STOCK_UNITS
        services[code], _ = Service.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "unit": unit,
                "eligible_kinds": kinds,
                "description": description,
                "usage_kind": UsageKind.STOCK if stock else UsageKind.FLOW,
                "yearly_reading": YearlyReading.LAST if stock else YearlyReading.SUM,
            },
        )
    return services


def _join(member: Member, start: dt.date, body: str | None, rng: random.Random) -> None:
    if member.memberships.exists():
        return
    decision = decision_create(
        member=member,
        body=body or "Conseil municipal",
        number=f"{start.year}-{rng.randint(1, 80):03d}",
        date=start - dt.timedelta(days=rng.randint(20, 90)),
        subject="Adhésion à l'opérateur public de services numériques",
    )
    membership_create(
        member=member,
        start_date=start,
        part=MembershipPart.FULL if rng.random() < 0.8 else MembershipPart.COMPULSORY,
        decision=decision,
    )


ESTABLISHMENT_NAMES = [
    (EstablishmentKind.CCAS, "CCAS {}"),
    (EstablishmentKind.SCHOOL, "Caisse des écoles {}"),
    (EstablishmentKind.EHPAD, "EHPAD {}"),
    (EstablishmentKind.LIBRARY, "Médiathèque {}"),
]


def of(name: str) -> str:
    """« de Blaye », « d'Arès »: French elision before a vowel."""
    return f"d'{name}" if name[:1].lower() in "aeiouyàâéèêëîïôûü" else f"de {name}"


def _establishments(commune_members, epci_members, outside) -> list[Member]:
    establishments = []
    by_size = sorted(commune_members, key=lambda m: (-(m.population or 0), m.insee_code))
    for index, parent in enumerate(by_size[:85]):
        kind, pattern = ESTABLISHMENT_NAMES[index % len(ESTABLISHMENT_NAMES)]
        name = pattern.format(of(parent.name))
        establishments.append(_establishment(parent, kind, name, _rng(name)))
    for epci_pk, parent in list(epci_members.items())[:15]:
        if epci_pk in outside:
            continue
        rng = _rng(parent.siren, "establishment")
        kind = EstablishmentKind.TOURISM_OFFICE if rng.random() < 0.5 else EstablishmentKind.CCAS
        label = "Office de tourisme" if kind == EstablishmentKind.TOURISM_OFFICE else "CIAS"
        establishments.append(_establishment(parent, kind, f"{label} — {parent.name}", rng))
    return establishments


def _establishment(parent: Member, kind: str, name: str, rng) -> Member:
    member, created = Member.objects.get_or_create(
        kind=MemberKind.ESTABLISHMENT,
        name=name,
        parent=parent,
        defaults={
            "establishment_kind": kind,
            "epci_id": parent.epci_id,
            "departement_id": parent.departement_id,
        },
    )
    if created:
        _join(member, max(_start_of(parent), dt.date(2016, 1, 1)), "Conseil d'administration", rng)
    return member


def _start_of(member: Member) -> dt.date:
    membership = member.memberships.order_by("start_date").first()
    return membership.start_date if membership else dt.date(2020, 1, 1)


def _subscriptions(services, dept, epci_members, outside, communes, establishments):
    plan = [(dept, ["hebergement-vm", "archivage", "open-data", "sig", "rgpd"])]
    for epci_pk, member in epci_members.items():
        if epci_pk not in outside:
            plan.append((member, _rng(member.siren, "services").sample(sorted(services), 8)))
    commune_services = [
        "sauvegarde",
        "rgpd",
        "actes",
        "helios",
        "messagerie",
        "assistance",
        "convocation",
        "ent-ecoles",
        "certificats",
        "parapheur",
        "logiciels-metier",
        "hebergement-site",
    ]
    for member in communes:
        rng = _rng(member.insee_code, "services")
        count = 3 + rng.randint(0, 5) + (3 if (member.population or 0) > 5000 else 0)
        plan.append((member, rng.sample(commune_services, min(count, len(commune_services)))))
    for member in establishments:
        rng = _rng(member.name, "services")
        plan.append((member, rng.sample(["assistance", "logiciels-metier", "messagerie"], 2)))
    for member, codes in plan:
        start_floor = _start_of(member)
        rng = _rng(member.name, member.siren, "dates")
        for code in codes:
            service = services[code]
            if not service.is_open_to(member):
                continue
            if Subscription.objects.filter(member=member, service=service).exists():
                continue
            start = max(start_floor, dt.date(rng.randint(2016, 2025), rng.choice([1, 7]), 1))
            subscription_create(member=member, service=service, start_date=start)


def _users(communes, epci_members, outside) -> dict[str, tuple[User, Member]]:
    for login in STAFF:
        _user(login, operator_role=login.role)
    rural = min(
        (m for m in communes if (m.population or 0) >= 300),
        key=lambda m: (m.population, m.name),
    )
    epci = next(m for pk, m in epci_members.items() if pk not in outside and m.kind == "epci")
    mairie = _user(AGENTS[0], first_name="Sophie", last_name="Martin")
    agent_grant_access(user=mairie, member=rural)
    maire = _user(AGENTS[2], first_name="Jean", last_name="Lacoste")
    agent_grant_access(user=maire, member=rural, is_elected=True)
    epci_agent = _user(AGENTS[1], first_name="Karim", last_name="Benali")
    agent_grant_access(user=epci_agent, member=epci, includes_perimeter=True)
    return {"mairie": (mairie, rural), "epci": (epci_agent, epci)}


def _user(login: DemoLogin, operator_role: str = "", first_name="", last_name="") -> User:
    user, created = User.objects.get_or_create(
        username=login.username,
        defaults={
            "operator_role": operator_role,
            "first_name": first_name or login.label.split(" ")[0],
            "last_name": last_name,
            "email": f"{login.username}@demo.mutualis.fr",
            "is_staff": operator_role == OperatorRole.ADMINISTRATOR,
            "is_superuser": operator_role == OperatorRole.ADMINISTRATOR,
        },
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def _requests(services, agents) -> None:
    for key, code, message in [
        ("mairie", "visio", "Nous souhaitons organiser les réunions d'adjoints à distance."),
        ("mairie", "cybersecurite", "Suite à un courriel frauduleux reçu par la mairie."),
        ("epci", "iot", "Relève à distance des compteurs d'eau des bâtiments communautaires."),
    ]:
        user, member = agents[key]
        service = services[code]
        if ServiceRequest.objects.filter(member=member, service=service).exists():
            continue
        if not service.is_open_to(member) or member.subscriptions.filter(service=service).exists():
            continue
        ServiceRequest.objects.create(
            member=member,
            service=service,
            requested_by=user,
            desired_start_date=dt.date(2027, 1, 1),
            message=message,
            status=RequestStatus.PENDING,
        )
