"""The demo's support: a year of GLPI tickets of the members (January to November 2026), one
GLPI entity per member, tied to it, and two entities the operator has not tied yet."""

import datetime as dt
import math
import random

from django.db import transaction
from django.utils import timezone

from mutualis.members.models import Member, Membership
from mutualis.support.models import SupportEntity, Ticket, TicketSource, TicketStatus

YEAR = 2026
END = dt.datetime(YEAR, 11, 30, 18)
ROOT = "Gironde Numérique"
FIRST_NUMBER = 26000
UNTIED = ["Syndicat intercommunal des eaux de Cadaujac", "Ancien SIVOM du Créonnais"]
CATEGORIES = [
    ("Messagerie > Mot de passe", "Mot de passe de la messagerie oublié", 18),
    ("Messagerie > Boîte pleine", "Boîte aux lettres pleine", 6),
    ("Actes > Télétransmission", "Acte refusé par la préfecture", 8),
    ("Finances > Hélios", "Flux PES rejeté par Hélios", 7),
    ("Logiciels métier > État civil", "Impossible d'éditer un acte de naissance", 9),
    ("Logiciels métier > Élections", "Mise à jour de la liste électorale", 5),
    ("Postes de travail", "Ordinateur du secrétariat très lent", 12),
    ("Postes de travail > Imprimante", "Imprimante de la mairie hors ligne", 10),
    ("Site internet", "Modifier la page des horaires de la mairie", 7),
    ("Parapheur", "Circuit de signature bloqué", 5),
    ("Sauvegarde", "Restaurer un fichier effacé", 4),
    ("ENT des écoles", "Comptes des élèves de CP à créer", 4),
    ("Téléphonie", "Standard de la mairie injoignable", 5),
]
WEIGHTS = [w for _c, _t, w in CATEGORIES]


def _opened(rng: random.Random) -> dt.datetime:
    """A working day of the year, between 8:00 and 18:00."""
    while True:
        day = dt.date(YEAR, 1, 2) + dt.timedelta(days=rng.randrange(332))
        if day.weekday() < 5:
            minute = rng.randrange(8 * 60, 18 * 60)
            return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60)


def _lognormal(rng: random.Random, median_hours: float, spread: float) -> int:
    return max(300, int(3600 * median_hours * math.exp(rng.gauss(0, spread))))


def _tickets(member_id, entity_id, count, rng, numbers):
    rows = []
    end = timezone.make_aware(END)
    for _n in range(count):
        category, title, _w = rng.choices(CATEGORIES, weights=WEIGHTS)[0]
        opened = timezone.make_aware(_opened(rng))
        priority = rng.choices([2, 3, 4, 5], weights=[15, 60, 20, 5])[0]
        urgent = priority >= 4
        response = _lognormal(rng, 0.6 if urgent else 1.5, 0.9)
        resolution = response + _lognormal(rng, 3 if urgent else 7, 1.4)
        # Promised delays (the operator's charter): about nine requests in ten are kept.
        own_target = opened + dt.timedelta(hours=1 if urgent else 4)
        solve_target = opened + dt.timedelta(hours=8 if urgent else 48)
        solved = opened + dt.timedelta(seconds=resolution)
        done = solved <= end
        first = opened + dt.timedelta(seconds=response)
        status = (
            (TicketStatus.CLOSED if solved + dt.timedelta(days=3) <= end else TicketStatus.SOLVED)
            if done
            else rng.choice([TicketStatus.ASSIGNED, TicketStatus.WAITING, TicketStatus.PLANNED])
        )
        rows.append(
            Ticket(
                source=TicketSource.GLPI,
                external_id=str(next(numbers)),
                member_id=member_id,
                entity_id=entity_id,
                title=title,
                category=category,
                status=status,
                priority=priority,
                opened_at=opened,
                first_response_at=first if first <= end else None,
                solved_at=solved if done else None,
                closed_at=solved + dt.timedelta(days=3) if status == TicketStatus.CLOSED else None,
                modified_at=min(end, solved if done else end),
                response_seconds=response if first <= end else None,
                resolution_seconds=resolution if done else None,
                time_to_own=own_target,
                time_to_resolve=solve_target,
            )
        )
    return rows


@transaction.atomic
def load_demo() -> dict[str, int]:
    if not Ticket.objects.filter(source=TicketSource.GLPI).exists():
        members = list(
            Member.objects.filter(pk__in=Membership.objects.values("member_id"))
            .distinct()
            .order_by("search_name", "pk")
        )
        entities = SupportEntity.objects.bulk_create(
            [SupportEntity(name=f"{ROOT} > {m.name}", member=m) for m in members]
            + [SupportEntity(name=f"{ROOT} > {name}") for name in UNTIED],
            ignore_conflicts=True,
        )
        by_name = {e.name: e for e in SupportEntity.objects.all()}
        numbers = iter(range(FIRST_NUMBER, 10**9))
        rows = []
        for member in members:
            rng = random.Random(f"support-{member.siren or member.insee_code or member.name}")
            population = member.population or 800
            count = min(90, 2 + round(math.sqrt(population) / 3) + rng.randrange(4))
            entity = by_name[f"{ROOT} > {member.name}"]
            rows += _tickets(member.pk, entity.pk, count, rng, numbers)
        for name in UNTIED:
            rng = random.Random(f"support-{name}")
            rows += _tickets(None, by_name[f"{ROOT} > {name}"].pk, 6, rng, numbers)
        Ticket.objects.bulk_create(rows, batch_size=2000)
        del entities
    return {
        "demandes d'assistance": Ticket.objects.count(),
        "entités GLPI": SupportEntity.objects.count(),
    }
