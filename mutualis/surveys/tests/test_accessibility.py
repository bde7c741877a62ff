"""RGAA / WCAG 2.1 AA: axe-core over the survey pages — the answer form of « Mon espace »
(empty, then with errors), the operator's campaign and results pages. With A11Y_SCREENSHOTS
set, full-page screenshots are written there."""

import os
from pathlib import Path

import pytest

from mutualis.core.tests.browser import (
    BLOCKING_IMPACTS,
    check_accessibility,
    format_violations,
    login,
    run_axe,
)
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory, MembershipFactory
from mutualis.surveys import services
from mutualis.surveys.definitions import Kind
from mutualis.surveys.tests.factories import GOOD, open_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide"


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("A11Y_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"a11y-surveys-{name}.png"), full_page=True)


def test_survey_pages(new_context):
    members = [MembershipFactory(member=MemberFactory()).member for _ in range(3)]
    agent = AgentAccessFactory(member=members[0]).user
    satisfaction = open_campaign(members, year=2026)
    for member, note in zip(members[1:], (5, 3), strict=True):
        services.response_save(
            campaign=satisfaction, member=member, answers=dict.fromkeys(GOOD, note)
        )
    priorities = open_campaign(members, kind=Kind.PRIORITIES, year=2026)
    maturity = open_campaign(members, kind=Kind.MATURITY, year=2026)
    services.response_save(
        campaign=priorities,
        member=members[1],
        answers={"themes": ["security", "inclusion", "data", "mobility"]},
    )
    services.response_save(
        campaign=maturity,
        member=members[1],
        answers={q.code: 2 for q in maturity.definition.questions},
    )

    page = new_context().new_page()
    login(page, agent.username, PASSWORD)
    base = f"/mon-espace/{members[0].pk}/enquetes/"
    check_accessibility(page, base)
    for campaign, name in ((satisfaction, "satisfaction"), (priorities, "priorities")):
        check_accessibility(page, f"{base}{campaign.pk}/")
        _screenshot(page, f"answer-{name}")
    check_accessibility(page, f"{base}{maturity.pk}/")
    # sent incomplete: the errors, linked to their questions, pass axe too
    page.goto(f"{base}{satisfaction.pk}/")
    page.check("#id_offer_fit_4")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("[role=alert] a[href='#q-ease']").count() == 1
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, format_violations(page.url, blocking)
    _screenshot(page, "answer-errors")

    manager = UserFactory(username="resp-enquetes", manager=True)
    staff = new_context().new_page()
    login(staff, manager.username, PASSWORD)
    for url in [
        "/operateur/enquetes/",
        f"/operateur/enquetes/{satisfaction.pk}/",
        f"/operateur/enquetes/{satisfaction.pk}/resultats/",
        f"/operateur/enquetes/{priorities.pk}/resultats/",
        f"/operateur/enquetes/{maturity.pk}/resultats/",
        f"/operateur/enquetes/{satisfaction.pk}/membres/{members[1].pk}/",
    ]:
        check_accessibility(staff, url)
    _screenshot(staff, "results-maturity")
    staff.goto(f"/operateur/enquetes/{satisfaction.pk}/resultats/")
    _screenshot(staff, "results-satisfaction")
    staff.goto(f"/operateur/enquetes/{priorities.pk}/resultats/")
    _screenshot(staff, "results-priorities")
