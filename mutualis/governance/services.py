"""Writes of governance: bodies, seats, meetings, convocations, attendance, the register."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core.jobs import job_enqueue
from mutualis.core.numbers import format_date
from mutualis.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyKind,
    BodyMember,
    Convocation,
    Deliberation,
    Meeting,
    MeetingDocument,
)
from mutualis.governance.rules import Vote, clear_days, vote_errors
from mutualis.members.models import Decision

AGENDA_MAX_ITEMS = 60


def body_kind_for(name: str) -> str:
    lowered = name.lower()
    if "comité syndical" in lowered or "comite syndical" in lowered:
        return BodyKind.COMMITTEE
    if "bureau" in lowered:
        return BodyKind.BUREAU
    return BodyKind.OTHER


@transaction.atomic
def operator_decision(*, body: str, number: str, date: dt.date, subject: str) -> Decision:
    """The operator's délibération n° `number` of `date`'s year, with its register entry:
    every app that records one (tariff adoption, lot award, correction) comes through here.

    A délibération already in the register under that number and on that date is the same
    vote (one délibération adopts all the year's tariffs): it is reused, never doubled. The
    same number on another date is refused, naming the one in the register."""
    number = number.strip()
    if number:
        existing = Decision.objects.filter(
            member__isnull=True, date__year=date.year, number=number
        ).first()
        if existing is not None:
            if existing.date != date:
                raise ValidationError(
                    {
                        "number": _(
                            "La délibération n° %(number)s de %(year)s est déjà au registre, "
                            "datée du %(date)s."
                        )
                        % {"number": number, "year": date.year, "date": format_date(existing.date)}
                    }
                )
            register_entry_ensure(decision=existing)
            return existing
    decision = Decision(member=None, body=body, number=number, date=date, subject=subject)
    decision.full_clean()
    decision.save()
    register_entry_ensure(decision=decision)
    return decision


def register_entry_ensure(*, decision: Decision) -> Deliberation:
    """The register entry of an operator's Decision, created with its body when missing."""
    existing = Deliberation.objects.filter(decision=decision).first()
    if existing is not None:
        return existing
    body, _created = Body.objects.get_or_create(
        name=decision.body.strip() or _("Comité syndical"),
        defaults={"kind": body_kind_for(decision.body)},
    )
    return Deliberation.objects.create(decision=decision, body=body)


@transaction.atomic
def body_create(*, kind: str, name: str, notice_days: int) -> Body:
    body = Body(kind=kind, name=name, notice_days=notice_days)
    body.full_clean()
    body.save()
    return body


@transaction.atomic
def seat_create(*, body: Body, **fields) -> BodyMember:
    seat = BodyMember(body=body, **fields)
    seat.full_clean()
    seat.save()
    return seat


@transaction.atomic
def meeting_create(
    *,
    body: Body,
    date: dt.date,
    time=None,
    place: str = "",
    agenda: list[str],
    second_convocation: bool = False,
) -> Meeting:
    if not agenda:
        raise ValidationError({"agenda": _("L'ordre du jour a au moins une question.")})
    if len(agenda) > AGENDA_MAX_ITEMS:
        raise ValidationError(
            {"agenda": _("Au plus %(n)s questions à l'ordre du jour.") % {"n": AGENDA_MAX_ITEMS}}
        )
    meeting = Meeting(
        body=body, date=date, time=time, place=place, second_convocation=second_convocation
    )
    meeting.full_clean()
    meeting.save()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=i, title=title[:300])
        for i, title in enumerate(agenda, start=1)
    )
    return meeting


@transaction.atomic
def meeting_document_add(*, meeting: Meeting, title: str, document) -> MeetingDocument:
    item = MeetingDocument(meeting=meeting, title=title, document=document)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def convocation_send(
    *, meeting: Meeting, user, today: dt.date | None = None, accept_late: bool = False
) -> Convocation:
    """Records the convocation of a meeting (to every seat in office with an address) and
    queues its e-mails with the meeting's documents. Past the legal notice it is refused
    unless the sender accepts it knowingly (`accept_late`); it is then recorded as late."""
    today = today or timezone.localdate()
    if meeting.date <= today:
        raise ValidationError(_("La séance est passée : on ne la convoque plus."))
    days = clear_days(today, meeting.date)
    if days < meeting.body.notice_days and not accept_late:
        raise ValidationError(
            _(
                "Hors délai : %(days)s jours francs avant la séance, %(needed)s requis. "
                "Reportez la séance, ou confirmez l'envoi hors délai."
            )
            % {"days": days, "needed": meeting.body.notice_days}
        )
    seats = meeting.body.seats.in_office_on(meeting.date).exclude(email="").order_by("name")
    if not seats.exists():
        raise ValidationError(_("Aucun membre de l'instance n'a d'adresse électronique."))
    convocation = Convocation.objects.create(
        meeting=meeting,
        sent_on=today,
        notice_days=meeting.body.notice_days,
        clear_days=clear_days(today, meeting.date),
        recipients="\n".join(f"{seat.name} <{seat.email}>" for seat in seats),
        created_by=user,
    )
    convocation.documents.set(meeting.documents.all())
    job_enqueue(convocation)
    return convocation


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: set[int], proxies: dict[int, int]) -> dict:
    """Who was there, and who gave a proxy to whom (absent → present holder, one each)."""
    seats = {seat.pk: seat for seat in meeting.body.seats.in_office_on(meeting.date)}
    unknown = (present | set(proxies) | set(proxies.values())) - set(seats)
    if unknown:
        raise ValidationError(_("Ces personnes ne siègent pas dans l'instance à cette date."))
    for giver, holder in proxies.items():
        if giver in present:
            raise ValidationError(_("Un présent ne donne pas de pouvoir."))
        if holder not in present:
            raise ValidationError(_("Un pouvoir est donné à un membre présent."))
    holders = list(proxies.values())
    if len(holders) != len(set(holders)):
        raise ValidationError(_("Un membre présent ne détient qu'un seul pouvoir (L2121-20)."))
    meeting.attendances.all().delete()
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            seat_id=pk,
            present=pk in present,
            proxy_holder_id=proxies.get(pk),
        )
        for pk in seats
    )
    return meeting.quorum()


def next_number(year: int) -> str:
    count = Decision.objects.filter(member__isnull=True, date__year=year).count()
    return f"{year}-{count + 1:03d}"


def _check_vote(entry: Deliberation) -> None:
    counts = [
        entry.effectif,
        entry.present,
        entry.votes_for,
        entry.votes_against,
        entry.abstentions,
    ]
    if all(value is None for value in counts):
        return
    if any(value is None for value in counts):
        raise ValidationError(
            {
                "votes_for": _(
                    "Le vote se renseigne en entier : effectif, présents, pour, contre, "
                    "abstentions."
                )
            }
        )
    vote = Vote(
        effectif=entry.effectif,
        present=entry.present,
        proxies=entry.proxies or 0,
        votes_for=entry.votes_for,
        votes_against=entry.votes_against,
        abstentions=entry.abstentions,
    )
    errors: dict[str, list[str]] = {}
    for field, message in vote_errors(vote):
        errors.setdefault(field, []).append(_(message))
    if errors:
        raise ValidationError(errors)


def _check_meeting(entry: Deliberation, date: dt.date) -> None:
    meeting = entry.meeting
    if meeting is None:
        return
    if meeting.body_id != entry.body_id:
        raise ValidationError({"meeting": _("La séance est celle d'une autre instance.")})
    if meeting.date != date:
        raise ValidationError({"date": _("La date est celle de la séance.")})
    if not meeting.quorum()["met"]:
        raise ValidationError(
            {"meeting": _("Le quorum n'est pas atteint à cette séance : elle ne délibère pas.")}
        )


@transaction.atomic
def deliberation_create(
    *,
    body: Body,
    date: dt.date,
    subject: str,
    matiere: str,
    number: str = "",
    meeting: Meeting | None = None,
    memberships=(),
    signed_document=None,
    **vote_and_budget,
) -> Deliberation:
    if not body.deliberates:
        raise ValidationError({"body": _("Cette instance donne des avis, elle ne délibère pas.")})
    number = number or next_number(date.year)
    if Decision.objects.filter(member__isnull=True, date__year=date.year, number=number).exists():
        raise ValidationError({"number": _("Ce numéro est déjà au registre cette année.")})
    decision = Decision(member=None, body=body.name, number=number, date=date, subject=subject)
    decision.full_clean()
    decision.save()
    entry = register_entry_ensure(decision=decision)
    entry.body = body
    entry.meeting = meeting
    entry.matiere = matiere
    for name, value in vote_and_budget.items():
        setattr(entry, name, value)
    if signed_document:
        entry.signed_document = signed_document
    _check_meeting(entry, date)
    _check_vote(entry)
    entry.full_clean()
    entry.save()
    entry.memberships.set(memberships)
    return entry


@transaction.atomic
def deliberation_update(*, entry: Deliberation, **fields) -> Deliberation:
    """Completes a register entry (matière, vote, budget, signed document, meeting)."""
    memberships = fields.pop("memberships", None)
    signed = fields.pop("signed_document", None)
    for name, value in fields.items():
        setattr(entry, name, value)
    if signed:
        entry.signed_document = signed
    _check_meeting(entry, entry.decision.date)
    _check_vote(entry)
    entry.full_clean()
    entry.save()
    if memberships is not None:
        entry.memberships.set(memberships)
    return entry


def vote_from_meeting(meeting: Meeting) -> dict:
    """Effectif, présents and pouvoirs as the attendance of the meeting gives them."""
    quorum = meeting.quorum()
    return {
        "effectif": quorum["in_office"],
        "present": quorum["present"],
        "proxies": quorum["proxies"],
    }
