"""Demo shared staff: three technicians rotating over six EPCIs of the demo territory, the
second half of 2026 planned, the third quarter logged and posted as usage.

Runs after the demo operator (mutualis.demo); deterministic and idempotent.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from mutualis.catalog.models import Service
from mutualis.core.models import User
from mutualis.core.roles import OperatorRole
from mutualis.members.models import AgentAccess, Member, MemberKind, Membership
from mutualis.members.services import decision_create
from mutualis.staffing import calendar as cal
from mutualis.staffing.models import (
    Absence,
    AbsenceKind,
    BillingBasis,
    PlannedDay,
    StaffingAgreement,
    TaskCategory,
    Technician,
    WorkLogEntry,
)
from mutualis.staffing.selectors import PlanningRow
from mutualis.staffing.services import (
    absence_create,
    planning_apply,
    staffing_agreement_create,
    staffing_usage_post,
    technician_create,
    work_log_acknowledge,
    work_log_create,
)

PASSWORD = "demo-mutualis"
SERVICE_CODE = "informaticien"
START, END = dt.date(2026, 7, 1), dt.date(2027, 6, 30)
PLANNED_UNTIL = dt.date(2026, 12, 31)
LOGGED_UNTIL = dt.date(2026, 9, 30)

TECHNICIANS = [
    # username, first name, last name, home base
    ("technicien", "Thomas", "Lefèvre", "Langon"),
    ("technicien-medoc", "Amandine", "Roux", "Lesparre-Médoc"),
    ("technicien-libournais", "Julien", "Garcia", "Libourne"),
]
# Per EPCI (in the order chosen below): technician index, days per week, billing basis, and
# placement rules (weekday, frequency, half).
AGREEMENTS = [
    (0, "2", BillingBasis.WORKED, [(1, cal.WEEKLY, cal.FULL), (3, cal.WEEKLY, cal.FULL)]),
    (0, "1", BillingBasis.WORKED, [(0, cal.WEEKLY, cal.FULL)]),
    (1, "2", BillingBasis.WORKED, [(0, cal.WEEKLY, cal.FULL), (2, cal.WEEKLY, cal.FULL)]),
    (1, "1", BillingBasis.AGREED, [(3, cal.WEEKLY, cal.FULL)]),
    (2, "1", BillingBasis.WORKED, [(1, cal.WEEKLY, cal.FULL)]),
    (2, "1", BillingBasis.WORKED, [(3, cal.BIWEEKLY, cal.FULL), (2, cal.WEEKLY, cal.MORNING)]),
]
TASKS = {
    TaskCategory.WORKSTATION: [
        "Installation et paramétrage de deux postes neufs à l'accueil.",
        "Remplacement d'un disque défaillant, restauration des données de l'agent.",
        "Mise à jour des postes du service urbanisme.",
    ],
    TaskCategory.NETWORK: [
        "Remplacement du commutateur de la mairie annexe.",
        "Diagnostic de la liaison fibre du siège, ticket ouvert chez l'opérateur.",
        "Configuration du Wi-Fi invités de la salle du conseil.",
    ],
    TaskCategory.SECURITY: [
        "Revue des comptes utilisateurs et des droits sur le serveur de fichiers.",
        "Vérification des sauvegardes du NAS et test de restauration.",
        "Déploiement de l'authentification à deux facteurs sur la messagerie.",
    ],
    TaskCategory.SOFTWARE: [
        "Mise à jour du logiciel de gestion financière.",
        "Paramétrage du parapheur électronique pour le nouveau DGS.",
        "Installation du logiciel d'état civil sur le poste de la secrétaire.",
    ],
    TaskCategory.TRAINING: [
        "Formation de deux agents à la messagerie collaborative.",
        "Sensibilisation au hameçonnage des agents du pôle enfance.",
    ],
    TaskCategory.PURCHASE: [
        "Conseil pour le renouvellement des copieurs : analyse des besoins.",
        "Avis sur le devis de vidéoprotection des ateliers techniques.",
    ],
}


def _rng(*key: object) -> random.Random:
    return random.Random("-".join(map(str, ("staffing", *key))))


def _technicians() -> list[Technician]:
    technicians = []
    for username, first_name, last_name, home_base in TECHNICIANS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "operator_role": OperatorRole.TECHNICIAN,
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.mutualis.fr",
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        elif not user.last_name:  # the demo operator's `technicien` login gets a full name
            user.first_name, user.last_name = first_name, last_name
            user.save(update_fields=["first_name", "last_name"])
        technician = Technician.objects.filter(user=user).first() or technician_create(
            user=user, home_base=home_base, working_weekdays=cal.WORKWEEK
        )
        technicians.append(technician)
    return technicians


def _epcis() -> list[Member]:
    """The `epci` agent's EPCI and five other member EPCIs, the least populated first."""
    agent_epci = (
        AgentAccess.objects.filter(user__username="epci", member__kind=MemberKind.EPCI)
        .select_related("member")
        .order_by("pk")
        .first()
    )
    joined = Membership.objects.active_on(START).values("member")
    others = Member.objects.filter(kind=MemberKind.EPCI, pk__in=joined).order_by(
        "population", "name", "pk"
    )
    chosen = [agent_epci.member] if agent_epci else []
    chosen += list(others.exclude(pk__in=[m.pk for m in chosen])[: 6 - len(chosen)])
    return chosen


def _agreements(technicians, epcis, service) -> list[StaffingAgreement]:
    agreements = []
    for index, (member, spec) in enumerate(zip(epcis, AGREEMENTS, strict=False)):
        technician_index, days, basis, _rules = spec
        reference = f"MAD-2026-{index + 1:02d}"
        existing = StaffingAgreement.objects.filter(reference=reference).first()
        if existing is not None:
            agreements.append(existing)
            continue
        decision = decision_create(
            member=member,
            body="Conseil communautaire",
            number=f"2026-{40 + index}",
            date=dt.date(2026, 6, 18),
            subject="Convention de mise à disposition d'un informaticien mutualisé",
        )
        agreements.append(
            staffing_agreement_create(
                member=member,
                service=service,
                reference=reference,
                days=Decimal(days),
                per="week",
                start_date=START,
                end_date=END,
                billing_basis=basis,
                technicians=[technicians[technician_index]],
                decision=decision,
            )
        )
    return agreements


def _planning(technicians, agreements, planner) -> None:
    if PlannedDay.objects.filter(agreement__in=agreements).exists():
        return
    if not Absence.objects.filter(technician__in=technicians).exists():
        absence_create(
            technician=technicians[1],
            kind=AbsenceKind.LEAVE,
            start_date=dt.date(2026, 8, 10),
            end_date=dt.date(2026, 8, 21),
            note="Congés d'été",
        )
        absence_create(
            technician=technicians[0],
            kind=AbsenceKind.TRAINING,
            start_date=dt.date(2026, 12, 8),
            end_date=dt.date(2026, 12, 8),
            note="Formation pare-feu",
        )
    rows = [
        PlanningRow(
            agreement=agreement,
            technician=technicians[technician_index],
            weekday=weekday,
            frequency=frequency,
            half=half,
            start=START,
            end=PLANNED_UNTIL,
        )
        for agreement, (technician_index, _days, _basis, rules) in zip(
            agreements, AGREEMENTS, strict=False
        )
        for weekday, frequency, half in rules
    ]
    # The summer leave and the December training are left planned: they show as conflicts.
    planning_apply(rows=rows, created_by=planner, accept_conflicts=True)


def _work_log(technicians, agreements) -> None:
    if WorkLogEntry.objects.filter(agreement__in=agreements).exists():
        return
    absences = list(Absence.objects.filter(technician__in=technicians))
    planned = PlannedDay.objects.filter(
        agreement__in=agreements, date__lte=LOGGED_UNTIL
    ).select_related("technician__user", "member")
    categories = list(TASKS)
    for day in planned.order_by("date", "technician_id", "half"):
        rng = _rng(day.technician_id, day.member_id, day.date)
        away = any(
            a.technician_id == day.technician_id and a.start_date <= day.date <= a.end_date
            for a in absences
        )
        if away or rng.random() < 0.05:
            continue
        category = rng.choices(categories, weights=[4, 3, 3, 3, 1, 1])[0]
        work_log_create(
            technician=day.technician,
            member=day.member,
            date=day.date,
            half=day.half,
            category=category,
            tasks=rng.choice(TASKS[category]),
            support_reference=f"AS-{rng.randint(10000, 99999)}" if rng.random() < 0.3 else "",
            logged_by=day.technician.user,
        )
    agent = User.objects.filter(username="epci").first()
    if agent is not None and agreements:
        for entry in WorkLogEntry.objects.filter(
            agreement=agreements[0], date__lt=dt.date(2026, 9, 1)
        ):
            work_log_acknowledge(entry=entry, user=agent)


@transaction.atomic
def load_demo() -> dict[str, int]:
    service = Service.objects.get(code=SERVICE_CODE)
    technicians = _technicians()
    epcis = _epcis()
    agreements = _agreements(technicians, epcis, service)
    planner = User.objects.filter(username="responsable").first()
    _planning(technicians, agreements, planner)
    _work_log(technicians, agreements)
    for month in (7, 8, 9):
        staffing_usage_post(2026, month)
    return {
        "techniciens": Technician.objects.count(),
        "conventions de mise à disposition": StaffingAgreement.objects.count(),
        "journées planifiées": PlannedDay.objects.count(),
        "journées saisies": WorkLogEntry.objects.count(),
    }
