"""Results of a campaign: response rate, means, satisfaction against last year, the
priorities ranking, maturity per theme; exports; the API's rights."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory, MembershipFactory
from mutualis.surveys import selectors, services
from mutualis.surveys.definitions import Kind
from mutualis.surveys.models import SurveyStatus
from mutualis.surveys.tests.factories import GOOD, open_campaign

pytestmark = pytest.mark.django_db


def _members(n):
    return [MembershipFactory(member=MemberFactory()).member for _ in range(n)]


def _satisfaction(year, members, notes):
    campaign = open_campaign(members, year=year)
    for member, note in zip(members, notes, strict=False):
        answers = {code: note for code in GOOD} | {"comment": f"Note {note}"}
        services.response_save(campaign=campaign, member=member, answers=answers)
    return campaign


def test_satisfaction_results_against_last_year():
    members = _members(4)
    before = _satisfaction(2025, members, [2, 3, 4])
    services.campaign_close(campaign=before)
    now = _satisfaction(2026, members, [5, 4, 4, 3])
    results = selectors.campaign_results(now)
    assert (results.invited, results.answered, results.response_rate) == (4, 4, 100)
    assert results.previous == before and results.previous_response_rate == 75
    # each member's satisfaction: 100, 100, 100, 0 → 75 %; last year 0, 0, 100 → 33,3 %
    assert results.satisfaction == 75 and results.previous_satisfaction == D("33.3")
    overall = next(r for r in results.questions if r.question.code == "overall")
    assert overall.mean == D("4") and overall.previous_mean == 3
    assert overall.satisfied == 75 and overall.satisfied_trend == D("41.7")
    assert [count for _label, count, _share in overall.distribution] == [0, 0, 1, 2, 1]
    comments = next(r for r in results.questions if r.question.code == "comment")
    assert len(comments.texts) == 4
    # the member's block of the élus' page
    block = selectors.member_satisfaction(members[3], 2026)
    assert (block.member_rate, block.operator_rate, block.national_reference) == (0, 75, 92)
    assert selectors.member_satisfaction(members[0], 2024) is None


def test_priorities_ranking_and_maturity_per_theme():
    members = _members(3)
    grid = open_campaign(members, kind=Kind.PRIORITIES, year=2026)
    picks = [
        ["security", "inclusion", "data", "mobility"],
        ["security", "inclusion", "energy", "health", "heritage"],
        ["security", "data", "energy", "education"],
    ]
    for member, themes in zip(members, picks, strict=True):
        services.response_save(campaign=grid, member=member, answers={"themes": themes})
    [ranking] = [r.ranking for r in selectors.campaign_results(grid).questions if r.ranking]
    top = [(pick.code, pick.count, pick.rank) for _label, pick in ranking[:4]]
    assert top == [("security", 3, 1), ("data", 2, 2), ("inclusion", 2, 2), ("energy", 2, 2)]
    assert ranking[0][1].share == 100 and ranking[-1][1].count == 0
    client = Client()
    client.force_login(UserFactory(read_only=True))
    page = client.get(reverse("surveys:results", args=[grid.pk])).content.decode()
    # The question speaks to the member; the operator's results name what it collects.
    assert "<h2>Thèmes prioritaires des membres</h2>" in page
    assert "Vos thèmes prioritaires" not in page

    maturity = open_campaign(members[:2], kind=Kind.MATURITY, year=2026)
    levels = {q.code: 2 for q in maturity.definition.questions}
    services.response_save(campaign=maturity, member=members[0], answers=levels)
    services.response_save(campaign=maturity, member=members[1], answers=levels | {"security": 3})
    results = selectors.campaign_results(maturity)
    security = next(r for r in results.questions if r.question.code == "security")
    assert security.mean == D("2.5")
    assert [c for _l, c, _s in security.distribution] == [0, 0, 1, 1, 0]
    assert results.satisfaction is None


def test_results_page_and_exports_for_the_operator():
    members = _members(2)
    campaign = _satisfaction(2026, members, [5])
    client = Client()
    client.force_login(UserFactory(read_only=True))
    page = client.get(reverse("surveys:results", args=[campaign.pk])).content.decode()
    assert "Taux de réponse" in page and "50,0\u00a0%" in page and "92\u00a0%" in page
    export = client.get(reverse("surveys:export", args=[campaign.pk]) + "?format=csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["membre", "SIREN", "nature", "répondu"]
    assert any(h.endswith("[offer_fit]") and h[0].isupper() for h in rows[0])  # French text
    assert export["Content-Disposition"].endswith('enquete-satisfaction-annuelle-2026.csv"')
    answered = {row[0]: row for row in rows[1:]}
    assert answered[members[0].name][3] == "oui" and answered[members[1].name][3] == "non"
    assert answered[members[0].name][-1] == "100,0"
    xlsx = client.get(reverse("surveys:export", args=[campaign.pk]) + "?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_the_api_shows_members_their_own_answers_only():
    mine, theirs = _members(2)
    campaign = _satisfaction(2026, [mine, theirs], [5, 2])
    draft = services.campaign_create(kind=Kind.MATURITY, year=2026, closes_on=campaign.closes_on)
    services.campaign_invite(campaign=draft, mode="chosen", members=[mine])
    assert draft.status == SurveyStatus.DRAFT
    agent = APIClient()
    agent.force_authenticate(AgentAccessFactory(member=mine).user)
    answers = agent.get("/api/v1/surveys/responses/").json()["results"]
    assert [a["member"] for a in answers] == [mine.pk]
    assert answers[0]["answers"]["overall"] == 5
    campaigns = agent.get("/api/v1/surveys/campaigns/").json()["results"]
    assert [c["id"] for c in campaigns] == [campaign.pk]  # not the draft
    operator = APIClient()
    operator.force_authenticate(UserFactory(read_only=True))
    listed = operator.get(f"/api/v1/surveys/responses/?campaign={campaign.pk}").json()
    assert listed["count"] == 2
