"""The surveys demo on a small perimeter: idempotent, two satisfaction years to compare, the
`mairie` commune's 2026 form waiting for it."""

import pytest
from django.utils import timezone

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import (
    AgentAccessFactory,
    CommuneFactory,
    MemberFactory,
    MembershipFactory,
)
from mutualis.surveys import selectors
from mutualis.surveys.definitions import Kind
from mutualis.surveys.demo import load_demo
from mutualis.surveys.models import SurveyCampaign, SurveyResponse, SurveyStatus


@pytest.fixture
def perimeter(db):
    communes = [
        MembershipFactory(
            member=MemberFactory(commune=CommuneFactory(population=150 + 97 * i))
        ).member
        for i in range(80)
    ]
    AgentAccessFactory(user=UserFactory(username="mairie"), member=communes[0])
    return communes


def test_the_demo_loads_once_with_last_years_satisfaction_to_compare(perimeter):
    counts = load_demo()
    assert load_demo() == counts
    year = timezone.localdate().year
    now = SurveyCampaign.objects.get(kind=Kind.SATISFACTION, year=year)
    assert now.status == SurveyStatus.OPEN and now.accepts_answers()
    before = SurveyCampaign.objects.get(kind=Kind.SATISFACTION, year=year - 1)
    assert before.status == SurveyStatus.CLOSED
    results = selectors.campaign_results(now)
    assert results.previous == before
    assert 35 <= results.response_rate <= 75
    assert 75 <= results.satisfaction <= 100 and results.previous_satisfaction is not None
    mairie = perimeter[0]
    assert not now.responses.filter(member=mairie).exists()
    assert before.responses.filter(member=mairie).exists()
    assert SurveyCampaign.objects.get(kind=Kind.PRIORITIES).responses.exists()
    assert SurveyCampaign.objects.get(kind=Kind.MATURITY).responses.exists()
    block = selectors.member_satisfaction(mairie, year - 1)
    assert block.member_rate is not None and block.operator_rate is not None


def test_the_demos_answers_are_dated_within_their_campaigns_dates(perimeter):
    load_demo()
    today = timezone.localdate()
    answered = SurveyResponse.objects.select_related("campaign")
    assert answered.count() > 40
    for response in answered:
        campaign = response.campaign
        given = timezone.localdate(response.created_at)
        assert response.created_at == response.submitted_at == response.updated_at
        assert campaign.sent_at < response.submitted_at, response
        assert given <= min(campaign.closes_on, today), response
        if campaign.closed_at is not None:
            assert response.submitted_at <= campaign.closed_at
    for campaign in SurveyCampaign.objects.all():
        assert campaign.created_at == campaign.sent_at
        assert set(campaign.invitations.values_list("created_at", flat=True)) == {campaign.sent_at}
