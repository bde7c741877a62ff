"""Reads of the surveys: a campaign's results (aggregated, per member, against last year),
a member's answers, and the satisfaction block of the élus' page and reports."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count

from mutualis.members.models import Member
from mutualis.surveys import stats
from mutualis.surveys.definitions import (
    CHOICE,
    LEVEL,
    MULTIPLE,
    NATIONAL_REFERENCE_RATE,
    SATISFIED_FROM,
    SCALE,
    SCALE_LABELS,
    TEXT,
    Kind,
    Question,
)
from mutualis.surveys.models import SurveyCampaign, SurveyResponse, SurveyStatus

SCALE_LEVELS = (1, 2, 3, 4, 5)
MATURITY_LEVELS = (0, 1, 2, 3, 4)


def previous_campaign(campaign: SurveyCampaign) -> SurveyCampaign | None:
    """Last year's sent campaign of the same kind, to compare with."""
    return (
        SurveyCampaign.objects.filter(kind=campaign.kind, year=campaign.year - 1)
        .exclude(status=SurveyStatus.DRAFT)
        .first()
    )


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    mean: Decimal | None = None
    satisfied: Decimal | None = None
    distribution: list[tuple[str, int, Decimal | None]] = field(default_factory=list)
    """(label, count, share of the answers)"""
    ranking: list[tuple[str, stats.Pick]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    """(member name, text)"""
    previous_mean: Decimal | None = None
    previous_satisfied: Decimal | None = None

    @property
    def mean_trend(self) -> Decimal | None:
        return stats.trend(self.mean, self.previous_mean)

    @property
    def satisfied_trend(self) -> Decimal | None:
        return stats.trend(self.satisfied, self.previous_satisfied)


@dataclass
class Results:
    campaign: SurveyCampaign
    invited: int
    answered: int
    response_rate: Decimal | None
    questions: list[QuestionResult]
    satisfaction: Decimal | None
    """Mean of the members' satisfaction (each member weighs one), satisfaction only."""
    previous: SurveyCampaign | None = None
    previous_response_rate: Decimal | None = None
    previous_satisfaction: Decimal | None = None

    @property
    def satisfaction_trend(self) -> Decimal | None:
        return stats.trend(self.satisfaction, self.previous_satisfaction)

    @property
    def national_reference(self) -> int:
        return NATIONAL_REFERENCE_RATE


def _values(rows: list[dict], code: str) -> list:
    return [answers[code] for answers in rows if code in answers]


def _share(count: int, total: int) -> Decimal | None:
    return stats.rate(count, total)


def _question_result(question: Question, rows: list[dict], names: list[str]) -> QuestionResult:
    values = _values(rows, question.code)
    result = QuestionResult(question, answered=len(values))
    if question.type == SCALE:
        numbers = [v for v in values if isinstance(v, int)]
        result.mean = stats.mean(numbers)
        result.satisfied = stats.satisfied_rate(numbers, SATISFIED_FROM)
        result.distribution = [
            (str(SCALE_LABELS[level]), count, _share(count, len(numbers)))
            for level, count in stats.distribution(numbers, SCALE_LEVELS)
        ]
    elif question.type == LEVEL:
        numbers = [v for v in values if isinstance(v, int)]
        result.mean = stats.mean(numbers)
        result.distribution = [
            (str(level), count, _share(count, len(numbers)))
            for level, count in stats.distribution(numbers, MATURITY_LEVELS)
        ]
    elif question.type == CHOICE:
        labels = question.option_labels
        result.distribution = [
            (labels[code], count, _share(count, len(values)))
            for code, count in ((c, values.count(c)) for c in labels)
        ]
    elif question.type == MULTIPLE:
        labels = question.option_labels
        picks = stats.ranking([v for v in values if isinstance(v, list)], list(labels))
        result.ranking = [(labels[p.code], p) for p in picks]
    elif question.type == TEXT:
        result.texts = [
            (name, answers[question.code])
            for name, answers in zip(names, rows, strict=True)
            if answers.get(question.code)
        ]
    return result


def _rate(campaign: SurveyCampaign) -> tuple[int, int, Decimal | None]:
    invited = campaign.invitations.count()
    answered = campaign.responses.count()
    return invited, answered, stats.rate(answered, invited)


def _mean_satisfaction(campaign: SurveyCampaign) -> Decimal | None:
    value = campaign.responses.filter(satisfaction__isnull=False).aggregate(
        mean=Avg("satisfaction")
    )["mean"]
    return None if value is None else Decimal(value).quantize(stats.ONE_DECIMAL)


def campaign_results(campaign: SurveyCampaign) -> Results:
    responses = list(campaign.responses.select_related("member").order_by("member__name", "pk"))
    rows = [r.answers for r in responses]
    names = [r.member.name for r in responses]
    invited, answered, response_rate = _rate(campaign)
    questions = [_question_result(q, rows, names) for q in campaign.definition.questions]
    results = Results(
        campaign=campaign,
        invited=invited,
        answered=answered,
        response_rate=response_rate,
        questions=questions,
        satisfaction=_mean_satisfaction(campaign) if campaign.kind == Kind.SATISFACTION else None,
    )
    previous = previous_campaign(campaign)
    if previous is not None:
        results.previous = previous
        results.previous_response_rate = _rate(previous)[2]
        if campaign.kind == Kind.SATISFACTION:
            results.previous_satisfaction = _mean_satisfaction(previous)
        before = [r.answers for r in previous.responses.all()]
        for result in questions:
            # the same code asks the same thing from one version to the next
            asked = previous.definition.question(result.question.code)
            if asked is None or asked.type != result.question.type:
                continue
            numbers = [v for v in _values(before, asked.code) if isinstance(v, int)]
            if asked.type in (SCALE, LEVEL):
                result.previous_mean = stats.mean(numbers)
            if asked.type == SCALE:
                result.previous_satisfied = stats.satisfied_rate(numbers, SATISFIED_FROM)
    return results


@dataclass(frozen=True)
class AnswerLine:
    question: Question
    value: object
    label: str


def answer_lines(campaign: SurveyCampaign, answers: dict) -> list[AnswerLine]:
    """Each question with the answer given, in words."""
    lines = []
    for question in campaign.definition.questions:
        value = answers.get(question.code)
        if value in (None, "", []):
            label = "—"
        elif question.type == SCALE:
            label = f"{value} — {SCALE_LABELS.get(value, '')}"
        elif question.type == LEVEL:
            label = f"{value} — {question.option_labels.get(str(value), '')}"
        elif question.type == CHOICE:
            label = question.option_labels.get(value, str(value))
        elif question.type == MULTIPLE:
            label = " ; ".join(question.option_labels.get(v, v) for v in value)
        else:
            label = str(value)
        lines.append(AnswerLine(question, value, label))
    return lines


def member_rows(campaign: SurveyCampaign) -> list[dict]:
    """Every invited member, with its answer (None when it has not answered)."""
    responses = {r.member_id: r for r in campaign.responses.select_related("answered_by", "member")}
    return [
        {"invitation": invitation, "response": responses.get(invitation.member_id)}
        for invitation in campaign.invitations.select_related("member").order_by("member__name")
    ]


def campaign_list(user):
    return (
        SurveyCampaign.objects.visible_to(user)
        .annotate(
            invited_count=Count("invitations", distinct=True),
            answered_count=Count("responses", distinct=True),
        )
        .order_by("-year", "kind")
    )


@dataclass(frozen=True)
class MemberSatisfaction:
    """The satisfaction block of the élus' page and of the reports."""

    campaign_title: str
    year: int
    member_rate: Decimal | None
    """None: the member was not asked or has not answered."""
    invited: bool
    operator_rate: Decimal | None
    respondents: int
    national_reference: int = NATIONAL_REFERENCE_RATE


def member_satisfaction(member: Member, year: int) -> MemberSatisfaction | None:
    """The member's satisfaction in the year's campaign against the operator's average and
    the national reference; None when the year had no satisfaction survey sent."""
    campaign = (
        SurveyCampaign.objects.filter(kind=Kind.SATISFACTION, year=year)
        .exclude(status=SurveyStatus.DRAFT)
        .first()
    )
    if campaign is None:
        return None
    mine = (
        SurveyResponse.objects.filter(campaign=campaign, member=member)
        .values_list("satisfaction", flat=True)
        .first()
    )
    return MemberSatisfaction(
        campaign_title=campaign.title,
        year=year,
        member_rate=mine,
        invited=campaign.invitations.filter(member=member).exists(),
        operator_rate=_mean_satisfaction(campaign),
        respondents=campaign.responses.filter(satisfaction__isnull=False).count(),
    )
