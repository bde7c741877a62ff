"""RGAA / WCAG 2.1 AA: axe-core over the governance pages, the audit search and the second
factor's pages."""

import datetime as dt

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutualis.catalog.tests.factories import SubscriptionFactory
from mutualis.core.roles import OperatorRole
from mutualis.core.tests.browser import check_accessibility, login
from mutualis.core.tests.factories import UserFactory
from mutualis.governance import services
from mutualis.governance.tests.factories import BodyFactory, SeatFactory, deliberation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide"


def test_governance_pages(new_context):
    body = BodyFactory(name="Comité syndical")
    seats = [SeatFactory(body=body) for _ in range(6)]
    meeting = services.meeting_create(
        body=body, date=dt.date(2025, 12, 10), agenda=["Tarifs 2026", "Budget"], place="Bordeaux"
    )
    services.attendance_record(
        meeting=meeting, present={s.pk for s in seats[:5]}, proxies={seats[5].pk: seats[0].pk}
    )
    entry = deliberation(
        body=body,
        meeting=meeting,
        date=meeting.date,
        effectif=6,
        present=5,
        proxies=1,
        votes_for=5,
        votes_against=0,
        abstentions=1,
    )
    manager = UserFactory(username="resp", operator_role=OperatorRole.MANAGER)
    page = new_context().new_page()
    login(page, manager.username, PASSWORD)
    base = "/operateur/instances/"
    for url in [
        base,
        f"{base}{body.pk}/",
        f"{base}{body.pk}/membres/",
        f"{base}{body.pk}/seances/nouvelle/",
        f"{base}seances/{meeting.pk}/",
        f"{base}seances/{meeting.pk}/presences/",
        f"{base}registre/",
        f"{base}registre/nouvelle/",
        f"{base}registre/{entry.pk}/",
        f"{base}registre/{entry.pk}/completer/",
        "/connexion/double-authentification/activer/",
    ]:
        check_accessibility(page, url)


def test_audit_search_and_history_panel(new_context):
    subscription = SubscriptionFactory()
    subscription.end_date = dt.date(2026, 12, 31)
    subscription.save()
    administrator = UserFactory(username="adm", operator_role=OperatorRole.ADMINISTRATOR)
    page = new_context().new_page()
    login(page, administrator.username, PASSWORD)
    check_accessibility(page, "/operateur/historique/?model=catalog.subscription")
    page.goto(f"/operateur/membres/{subscription.member_id}/")
    page.click("section[aria-labelledby=historique] summary")
    check_accessibility(page, page.url)


def test_the_second_step_of_the_login(new_context):
    accountant = UserFactory(username="compta", operator_role=OperatorRole.ACCOUNTANT)
    TOTPDevice.objects.create(user=accountant, name="téléphone", confirmed=True)
    page = new_context().new_page()
    page.goto("/connexion/")
    page.fill("input[name=username]", accountant.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/connexion/double-authentification/" in page.url
    check_accessibility(page, page.url)
