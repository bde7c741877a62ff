"""Demo data of the surveys, loaded after the demo operator (mutualis/demo):

- the satisfaction survey of 2025 (closed: 62 % of the adherents answered) and of 2026 (open
  until the 20th of next month, 55 % so far), the reactivity of support improving between
  the two years;
- the élus' priorities grid 2026 (a third of the adherents answered) and the digital
  maturity diagnostic 2026 of the communes (40 %), both open.

The `mairie` login's commune answered in 2025 and has not answered yet in 2026: its agent
finds the form waiting in « Mon espace ». No e-mail is sent: the campaigns are opened
directly. Idempotent (a campaign already there is left as it is) and deterministic.
"""

import datetime as dt
import random

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mutualis.members.models import AgentAccess, Member, MemberKind
from mutualis.purchasing.models import InvitationMode
from mutualis.surveys import services
from mutualis.surveys.answers import answer_errors
from mutualis.surveys.definitions import MATURITY_THEMES, PRIORITY_THEMES, Kind
from mutualis.surveys.models import (
    SurveyCampaign,
    SurveyInvitation,
    SurveyResponse,
    SurveyStatus,
)

# Weights of the notes 1 to 5 per question: last year, then this year (support got faster).
NOTES = {
    "before": {
        "offer_fit": (1, 3, 10, 50, 36),
        "ease": (1, 4, 12, 52, 31),
        "availability": (1, 2, 8, 48, 41),
        "support": (3, 7, 18, 45, 27),
        "overall": (1, 2, 9, 55, 33),
    },
    "now": {
        "offer_fit": (1, 2, 8, 50, 39),
        "ease": (1, 3, 10, 52, 34),
        "availability": (1, 2, 7, 47, 43),
        "support": (1, 4, 10, 50, 35),
        "overall": (1, 2, 6, 54, 37),
    },
}
COMMENTS = (
    "Très satisfaits de la sauvegarde, rien à signaler.",
    "L'assistance téléphonique est parfois difficile à joindre le lundi matin.",
    "Merci pour l'accompagnement lors du passage au parapheur électronique.",
    "Une formation des nouveaux agents serait la bienvenue.",
    "Les délais de réponse se sont nettement améliorés.",
    "Nous aimerions un point annuel avec le technicien sur site.",
)
# How often each priority theme is picked (the élus of rural communes first).
PRIORITY_WEIGHTS = {
    "security": 9,
    "online_services": 8,
    "inclusion": 7,
    "connectivity": 7,
    "governance": 4,
    "data": 4,
    "education": 5,
    "sustainability": 4,
    "energy": 5,
    "health": 2,
    "smart_networks": 3,
    "mobility": 3,
    "economy": 2,
    "heritage": 2,
    "innovation": 2,
}
SHARES = {"before": 0.62, Kind.SATISFACTION: 0.55, Kind.PRIORITIES: 0.33, Kind.MATURITY: 0.4}


def _rng(*key: object) -> random.Random:
    return random.Random("surveys:" + ":".join(map(str, key)))


def _open(kind: str, year: int, closes_on: dt.date, members, sent: dt.datetime):
    """The campaign opened directly (no e-mail in the demo); None if it is already there."""
    if SurveyCampaign.objects.filter(kind=kind, year=year).exists():
        return None
    campaign = services.campaign_create(
        kind=kind, year=year, closes_on=max(closes_on, timezone.localdate())
    )
    services.campaign_invite(campaign=campaign, mode=InvitationMode.CHOSEN, members=members)
    SurveyCampaign.objects.filter(pk=campaign.pk).update(
        status=SurveyStatus.OPEN,
        sent_at=sent,
        closes_on=closes_on,
        created_at=sent,
        updated_at=sent,
    )
    SurveyInvitation.objects.filter(campaign=campaign).update(created_at=sent, updated_at=sent)
    campaign.refresh_from_db()
    return campaign


def _satisfaction(year: str, rng: random.Random) -> dict:
    answers = {
        code: rng.choices((1, 2, 3, 4, 5), weights=weights)[0]
        for code, weights in NOTES[year].items()
    }
    if rng.random() < 0.25:
        answers["comment"] = rng.choice(COMMENTS)
    return answers


def _priorities(rng: random.Random) -> dict:
    codes = [code for code, _label in PRIORITY_THEMES]
    picked: list[str] = []
    while len(picked) < rng.choice((4, 5, 5)):
        code = rng.choices(codes, weights=[PRIORITY_WEIGHTS[c] for c in codes])[0]
        if code not in picked:
            picked.append(code)
    return {"themes": picked}


def _maturity(member: Member, rng: random.Random) -> dict:
    population = member.population or 0
    base = 1 if population < 500 else (2 if population < 3500 else 3)
    return {q.code: max(0, min(4, base + rng.choice((-1, 0, 0, 1)))) for q in MATURITY_THEMES}


def _answer(campaign, members, share, build, skip=()) -> int:
    """Answers from `share` of the invited members (seeded), in one write."""
    agents = dict(
        AgentAccess.objects.filter(member__in=members)
        .order_by("member_id", "-pk")
        .values_list("member_id", "user_id")
    )
    rows = []
    for member in members:
        rng = _rng(campaign.kind, campaign.year, member.pk)
        if member.pk in skip or rng.random() >= share:
            continue
        answers = build(member, rng)
        assert not answer_errors(campaign.definition, answers), answers
        rows.append(
            SurveyResponse(
                campaign=campaign,
                member=member,
                answers=answers,
                satisfaction=services.satisfaction_of(campaign, answers),
                answered_by_id=agents.get(member.pk),
                submitted_at=campaign.sent_at + dt.timedelta(days=rng.randint(1, 20)),
            )
        )
    SurveyResponse.objects.bulk_create(rows, batch_size=500)
    # Dated when they were given, not when the demo was loaded (one UPDATE).
    SurveyResponse.objects.filter(campaign=campaign).update(
        created_at=F("submitted_at"), updated_at=F("submitted_at")
    )
    return len(rows)


@transaction.atomic
def load_demo() -> dict[str, int]:
    from mutualis.purchasing.services.campaigns import members_for_invitation

    today = timezone.localdate()
    this_year = today.year
    adherents = list(members_for_invitation(mode=InvitationMode.ALL).order_by("pk"))
    communes = [m for m in adherents if m.kind == MemberKind.COMMUNE]
    mairie = AgentAccess.objects.filter(user__username="mairie").values_list("member_id", flat=True)
    tz = timezone.get_current_timezone()
    before = this_year - 1
    closes = dt.date(this_year, 12, 20) if today.month < 12 or today.day < 20 else today
    closes = max(closes, today + dt.timedelta(days=14))
    campaign = _open(
        Kind.SATISFACTION,
        before,
        dt.date(before, 11, 30),
        adherents,
        dt.datetime(before, 10, 1, 9, tzinfo=tz),
    )
    if campaign is not None:
        _answer(
            campaign,
            adherents,
            SHARES["before"],
            lambda m, rng: _satisfaction("before", rng),
        )
        SurveyCampaign.objects.filter(pk=campaign.pk).update(
            status=SurveyStatus.CLOSED, closed_at=dt.datetime(before, 12, 1, 9, tzinfo=tz)
        )
        # the `mairie` commune answered last year
        if mairie and not campaign.responses.filter(member_id=mairie[0]).exists():
            member = Member.objects.get(pk=mairie[0])
            _answer(campaign, [member], 1.0, lambda m, rng: _satisfaction("before", rng))
    sent = timezone.now() - dt.timedelta(days=21)
    for kind, members, build in (
        (Kind.SATISFACTION, adherents, lambda m, rng: _satisfaction("now", rng)),
        (Kind.PRIORITIES, adherents, lambda m, rng: _priorities(rng)),
        (Kind.MATURITY, communes, _maturity),
    ):
        campaign = _open(kind, this_year, closes, members, sent)
        if campaign is None:
            continue
        _answer(campaign, members, SHARES[kind], build, skip=set(mairie))
    return {
        "campagnes d'enquête": SurveyCampaign.objects.count(),
        "réponses aux enquêtes": SurveyResponse.objects.count(),
    }
