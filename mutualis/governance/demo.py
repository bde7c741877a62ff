"""Demo governance: the comité syndical, its delegates, and the meeting of 10 December of the
year before the demo year that adopted the tariffs (billing/demo.py records that décision)."""

import datetime as dt

from django.db import transaction

from mutualis.governance import services
from mutualis.governance.models import Body, BodyKind, Convocation, Deliberation, Meeting, SeatRole
from mutualis.members.models import Member, MemberKind

TARIFF_DECISION_NUMBER = "2025-42"
MEETING_DAY = dt.date(2025, 12, 10)
SENT_ON = dt.date(2025, 12, 2)
AGENDA = [
    "Approbation du procès-verbal de la séance du 14 octobre 2025",
    "Charte de service mutualisé : tarifs 2026",
    "Débat d'orientation budgétaire 2026",
    "Groupement de commandes : renouvellement des licences bureautiques",
]


def _committee() -> Body:
    body = Body.objects.filter(name="Comité syndical").first()
    if body is None:
        body = services.body_create(kind=BodyKind.COMMITTEE, name="Comité syndical", notice_days=5)
    if not body.seats.exists():
        departement = Member.objects.filter(kind=MemberKind.DEPARTEMENT).order_by("pk").first()
        epcis = list(
            Member.objects.filter(kind=MemberKind.EPCI, memberships__isnull=False)
            .distinct()
            .order_by("name")[:11]
        )
        services.seat_create(
            body=body,
            name="Hélène Duprat",
            email="presidence@operateur.example.fr",
            represents=departement,
            role=SeatRole.PRESIDENT,
            votes=1,
            start_date=dt.date(2020, 9, 15),
        )
        for i, epci in enumerate(epcis, start=1):
            services.seat_create(
                body=body,
                name=f"Délégué·e {epci.name}",
                email=f"delegue{i}@epci.example.fr",
                represents=epci,
                role=SeatRole.VICE_PRESIDENT if i <= 2 else SeatRole.DELEGATE,
                votes=1,
                start_date=dt.date(2020, 9, 15),
            )
        services.seat_create(
            body=body,
            name="Suppléant du Département",
            email="suppleant@operateur.example.fr",
            represents=departement,
            role=SeatRole.SUBSTITUTE,
            votes=0,
            start_date=dt.date(2020, 9, 15),
        )
    return body


@transaction.atomic
def load_demo() -> dict[str, int]:
    body = _committee()
    meeting = Meeting.objects.filter(body=body, date=MEETING_DAY).first()
    if meeting is None:
        meeting = services.meeting_create(
            body=body,
            date=MEETING_DAY,
            time=dt.time(18, 0),
            place="Salle du conseil, Bordeaux",
            agenda=AGENDA,
        )
        # Recorded as sent on time (6 clear days); the e-mails of a past demo meeting are
        # not sent again.
        Convocation.objects.create(
            meeting=meeting,
            sent_on=SENT_ON,
            notice_days=body.notice_days,
            clear_days=(MEETING_DAY - SENT_ON).days - 1,
            status="succeeded",
            recipients="\n".join(
                f"{s.name} <{s.email}>" for s in body.seats.in_office_on(MEETING_DAY)
            ),
        )
        seats = list(body.seats.in_office_on(MEETING_DAY).voting().order_by("pk"))
        absent_with_proxy, absent = seats[-1], seats[-2]
        present = {s.pk for s in seats} - {absent_with_proxy.pk, absent.pk}
        services.attendance_record(
            meeting=meeting, present=present, proxies={absent_with_proxy.pk: seats[0].pk}
        )
    entry = Deliberation.objects.filter(
        decision__number=TARIFF_DECISION_NUMBER, decision__member__isnull=True
    ).first()
    if entry is not None and entry.meeting_id is None:
        vote = services.vote_from_meeting(meeting)
        voters = vote["present"] + vote["proxies"]
        services.deliberation_update(
            entry=entry,
            meeting=meeting,
            body=body,
            matiere="7.6",
            **vote,
            votes_for=voters - 1,
            votes_against=0,
            abstentions=1,
            budget_year="2026",
            budget_name="Budget principal",
        )
    return {"délibérations": Deliberation.objects.count()}
