"""The satisfaction on the élus' page and in the annual PDFs (insights app)."""

import pytest
from django.test import Client
from django.urls import reverse

from mutualis.insights.activity import Activity, _satisfaction, activity_report_pdf
from mutualis.insights.report import _styles, member_report_pdf, satisfaction_story
from mutualis.insights.selectors import member_page
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory, MembershipFactory
from mutualis.surveys import services
from mutualis.surveys.tests.factories import GOOD, open_campaign

pytestmark = pytest.mark.django_db


def _text(flowables) -> str:
    return " ".join(getattr(f, "text", "") for f in flowables)


def test_the_members_score_beside_the_operators_and_the_national_reference():
    mine, other = (MembershipFactory(member=MemberFactory()).member for _ in range(2))
    campaign = open_campaign([mine, other], year=2026)
    services.response_save(campaign=campaign, member=mine, answers=GOOD | {"support": 2})
    services.response_save(campaign=campaign, member=other, answers=dict.fromkeys(GOOD, 5))
    client = Client()
    client.force_login(AgentAccessFactory(member=mine, is_elected=True).user)
    html = client.get(reverse("insights:member", args=[mine.pk]) + "?annee=2026").content
    text = html.decode()
    assert "Notre satisfaction" in text
    assert "80,0\u00a0%" in text and "90,0\u00a0%" in text and "92\u00a0%" in text
    page = member_page(mine, 2026)
    report = _text(satisfaction_story(page, _styles()))
    assert "Votre satisfaction : 80,0" in report and "référence nationale : 92" in report
    assert member_report_pdf(page, "Opérateur").startswith(b"%PDF")
    activity = Activity(2026)
    activity.add(page)
    assert "Moyenne des membres de l'opérateur : 90,0" in _text(_satisfaction(activity, _styles()))
    assert activity_report_pdf(activity, "Opérateur").startswith(b"%PDF")
    # a year without a survey says so
    assert "Pas d'enquête de satisfaction envoyée en 2025" in _text(
        satisfaction_story(member_page(mine, 2025), _styles())
    )
