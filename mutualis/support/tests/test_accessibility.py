"""RGAA / WCAG 2.1 AA: axe-core over the support pages (operator and « Mon espace »), with a
screenshot of each kept in var/screenshots/ to look at."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from mutualis.core.roles import OperatorRole
from mutualis.core.tests.browser import check_accessibility, login
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory
from mutualis.support.models import SupportEntity, TicketStatus
from mutualis.support.tests.tenancy import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide"
SHOTS = Path(os.environ.get("SUPPORT_SCREENSHOTS", "var/screenshots"))


def test_support_pages(new_context):
    member = MemberFactory(name="Saint-Aubin-de-Médoc")
    year = timezone.localdate().year
    for n in range(8):
        opened = timezone.make_aware(dt.datetime(year, 1 + n, 5, 9))
        status = TicketStatus.WAITING if n == 7 else TicketStatus.CLOSED
        make_ticket(member, external_id=f"{n}", opened_at=opened, status=status)
    orphan = SupportEntity.objects.create(name="Syndicat > Eaux du Médoc")
    make_ticket(None, external_id="o1", entity=orphan)
    agent = AgentAccessFactory(member=member).user
    manager = UserFactory(username="resp", operator_role=OperatorRole.MANAGER)
    SHOTS.mkdir(parents=True, exist_ok=True)

    page = new_context().new_page()
    login(page, manager.username, PASSWORD)
    for name, url in [
        ("operateur", "/operateur/assistance/"),
        ("membre", f"/operateur/assistance/membres/{member.pk}/"),
        ("connexion", "/operateur/assistance/connexion/"),
        ("entites", "/operateur/assistance/entites/"),
        ("entite", f"/operateur/assistance/entites/{orphan.pk}/"),
    ]:
        check_accessibility(page, url)
        page.screenshot(path=str(SHOTS / f"support-{name}.png"), full_page=True)

    page = new_context().new_page()
    login(page, agent.username, PASSWORD)
    check_accessibility(page, f"/mon-espace/{member.pk}/assistance/")
    page.screenshot(path=str(SHOTS / "support-portail.png"), full_page=True)
