"""RGAA / WCAG 2.1 AA: axe-core in headless Chromium over the main pages, for each role.

Run: DJANGO_SETTINGS_MODULE=mutualis.config.settings.test \
     .venv/bin/pytest mutualis/core/tests/test_accessibility.py
Set A11Y_SCREENSHOTS=/some/dir to also save screenshots of the pages (1366×768, full page).
"""

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse

from mutualis.catalog.models import (
    Category,
    RequestStatus,
    Service,
    ServiceRequest,
    Subscription,
    SubscriptionScope,
    Unit,
)
from mutualis.core.models import User
from mutualis.core.roles import OperatorRole
from mutualis.core.tests.browser import check_accessibility, login
from mutualis.members.models import (
    AgentAccess,
    Agreement,
    Decision,
    Member,
    MemberKind,
    Membership,
)
from mutualis.territory.models import Commune, Departement, Epci, EpciKind, Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-de-test-assez-long"


@dataclass
class Pages:
    epci_member: Member
    commune_member: Member
    service: Service
    subscribed_service: Service
    requestable_service: Service
    service_request: ServiceRequest
    operator: User
    agent: User


@pytest.fixture
def data() -> Pages:
    """A small Gironde perimeter: an EPCI and two communes, services, a pending request."""
    region = Region.objects.create(code="75", name="Nouvelle-Aquitaine")
    departement = Departement.objects.create(code="33", name="Gironde", region=region)
    epci = Epci.objects.create(
        siren="243300563",
        name="CC du Réolais en Sud Gironde",
        kind=EpciKind.CC,
        population=40_000,
    )
    la_reole = Commune.objects.create(
        insee_code="33352",
        siren="213303521",
        name="La Réole",
        population=4_200,
        departement=departement,
        epci=epci,
    )
    Commune.objects.create(
        insee_code="33177",
        siren="213301772",
        name="Gironde-sur-Dropt",
        population=1_200,
        departement=departement,
        epci=epci,
    )
    epci_member = Member.objects.create(
        kind=MemberKind.EPCI,
        name=epci.name,
        siren=epci.siren,
        population=epci.population,
        territory_epci=epci,
        epci=epci,
        departement=departement,
    )
    commune_member = Member.objects.create(
        kind=MemberKind.COMMUNE,
        name=la_reole.name,
        siren=la_reole.siren,
        insee_code=la_reole.insee_code,
        population=la_reole.population,
        commune=la_reole,
        epci=epci,
        departement=departement,
        email="mairie@lareole.example",
        address="Place de la Libération\n33190 La Réole",
    )
    start = dt.date(2024, 1, 1)
    for member in (epci_member, commune_member):
        decision = Decision.objects.create(
            member=member,
            body="Conseil municipal" if member is commune_member else "Conseil communautaire",
            number="2023-42",
            date=dt.date(2023, 12, 12),
            subject="Adhésion à l'opérateur",
        )
        agreement = Agreement.objects.create(
            member=member, reference=f"CONV-{member.siren}", signed_on=dt.date(2023, 12, 20)
        )
        Membership.objects.create(
            member=member, start_date=start, decision=decision, agreement=agreement
        )
    service = Service.objects.create(
        code="parapheur",
        name="Parapheur électronique",
        description="Signature électronique des actes et des bons de commande.",
        category=Category.DEMATERIALISATION,
        unit=Unit.USER_ACCOUNT,
    )
    subscribed_service = Service.objects.create(
        code="messagerie",
        name="Messagerie collaborative",
        description="Courriel, agenda et carnet d'adresses partagés.",
        category=Category.COLLABORATION,
        unit=Unit.USER_ACCOUNT,
        eligible_kinds=[MemberKind.COMMUNE, MemberKind.EPCI],
    )
    Subscription.objects.create(
        member=commune_member,
        service=subscribed_service,
        start_date=start,
        scope=SubscriptionScope.SELF,
    )
    requestable_service = Service.objects.create(
        code="sauvegarde",
        name="Sauvegarde externalisée",
        description="Copie chiffrée quotidienne des serveurs de la mairie.",
        category=Category.INFRASTRUCTURE,
        unit=Unit.GIGABYTE,
    )
    operator = User.objects.create_user(
        "responsable",
        password=PASSWORD,
        first_name="Claire",
        last_name="Martin",
        operator_role=OperatorRole.ADMINISTRATOR,
    )
    agent = User.objects.create_user(
        "secretaire", password=PASSWORD, first_name="Sophie", last_name="Durand"
    )
    AgentAccess.objects.create(user=agent, member=commune_member)
    service_request = ServiceRequest.objects.create(
        member=commune_member,
        service=service,
        desired_start_date=dt.date(2025, 1, 1),
        message="Pour le maire et les deux adjoints.",
        requested_by=agent,
        status=RequestStatus.PENDING,
    )
    return Pages(
        epci_member=epci_member,
        commune_member=commune_member,
        service=service,
        subscribed_service=subscribed_service,
        requestable_service=requestable_service,
        service_request=service_request,
        operator=operator,
        agent=agent,
    )


@pytest.fixture
def operator_page(new_context, data):
    page = new_context().new_page()
    login(page, data.operator.username, PASSWORD)
    return page


@pytest.fixture
def agent_page(new_context, data):
    page = new_context().new_page()
    login(page, data.agent.username, PASSWORD)
    return page


def screenshot(page, name: str) -> None:
    """Full-page screenshot to $A11Y_SCREENSHOTS/a11y-<name>.png, when that is set."""
    folder = os.environ.get("A11Y_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"a11y-{name}.png"), full_page=True)


BAD_PAGE = """<!DOCTYPE html><html lang="fr"><head><title>Page fautive</title></head>
<body><main><h1>Page fautive</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color: #bbbbbb; background: #ffffff">Texte trop pâle</p>
</main></body></html>"""


def test_harness_reports_violations(new_context):
    """The check itself: axe runs in the page and a violation fails with a readable message."""
    context = new_context()
    context.route(
        "**/page-fautive/",
        lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=BAD_PAGE),
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        check_accessibility(context.new_page(), "/page-fautive/")
    message = str(failure.value)
    assert "on /page-fautive/" in message
    assert "- image-alt (critical): Images must have alternative text" in message
    assert "- color-contrast (serious):" in message
    assert "at img" in message


def test_login_page(new_context):
    page = new_context().new_page()
    check_accessibility(page, reverse("login"))


OPERATOR_PAGES = {
    "dashboard": lambda d: reverse("members:dashboard"),
    "member-list": lambda d: reverse("members:member_list"),
    "member-detail": lambda d: reverse("members:member_detail", kwargs={"pk": d.commune_member.pk}),
    "member-detail-epci": lambda d: reverse(
        "members:member_detail", kwargs={"pk": d.epci_member.pk}
    ),
    "membership-form": lambda d: reverse(
        "members:membership_create", kwargs={"pk": d.commune_member.pk}
    ),
    "catalogue": lambda d: reverse("catalog:service_list"),
    "service-form": lambda d: reverse("catalog:service_create"),
    "request-inbox": lambda d: reverse("catalog:request_inbox"),
    "member-add-territory": lambda d: reverse("members:member_add_territory"),
    "establishment-form": lambda d: reverse("members:establishment_create"),
    "imports": lambda d: reverse("imports:job_list"),
    "billing": lambda d: reverse("billing:index"),
    "tariffs": lambda d: reverse("billing:tariff_list"),
    "tariff-form": lambda d: reverse("billing:tariff_create"),
    "runs": lambda d: reverse("billing:run_list"),
    "invoices": lambda d: reverse("billing:invoice_list"),
    "receivables": lambda d: reverse("billing:receivables"),
    "usage": lambda d: reverse("metering:usage_list"),
    "usage-form": lambda d: reverse("metering:usage_create"),
    "purchasing": lambda d: reverse("purchasing:index"),
    "campaign-form": lambda d: reverse("purchasing:campaign_create"),
    "staffing": lambda d: reverse("staffing:index"),
    "staffing-planning": lambda d: reverse("staffing:planning"),
    "request-detail": lambda d: reverse(
        "catalog:request_detail", kwargs={"pk": d.service_request.pk}
    ),
}


@pytest.mark.parametrize("name", OPERATOR_PAGES)
def test_operator_page(name, operator_page, data):
    check_accessibility(operator_page, OPERATOR_PAGES[name](data))
    screenshot(operator_page, f"operator-{name}")


AGENT_PAGES = {
    "portal": lambda d: reverse("portal_member", kwargs={"member_pk": d.commune_member.pk}),
    "portal-catalogue": lambda d: reverse(
        "portal_catalog", kwargs={"member_pk": d.commune_member.pk}
    ),
    "request-form": lambda d: reverse(
        "portal_request_create",
        kwargs={"member_pk": d.commune_member.pk, "pk": d.requestable_service.pk},
    ),
    "request-detail": lambda d: reverse(
        "portal_request_detail",
        kwargs={"member_pk": d.commune_member.pk, "pk": d.service_request.pk},
    ),
    "invoices": lambda d: reverse(
        "billing_portal:invoices", kwargs={"member_pk": d.commune_member.pk}
    ),
    "usage": lambda d: reverse("billing_portal:usage", kwargs={"member_pk": d.commune_member.pk}),
    "purchasing": lambda d: reverse(
        "purchasing_portal:campaigns", kwargs={"member_pk": d.commune_member.pk}
    ),
    "staffing": lambda d: reverse(
        "staffing_portal:index", kwargs={"member_pk": d.commune_member.pk}
    ),
}


@pytest.mark.parametrize("name", AGENT_PAGES)
def test_member_agent_page(name, agent_page, data):
    check_accessibility(agent_page, AGENT_PAGES[name](data))
    screenshot(agent_page, f"agent-{name}")
