"""A member's agent sees its own titres and downloads their PDF, never another member's."""

import datetime as dt

import pytest

from mutualis.billing.models import Invoice
from mutualis.billing.services.invoices import invoices_issue
from mutualis.billing.tests.conftest import computed_run
from mutualis.members.tests.factories import AgentAccessFactory


@pytest.fixture
def issued(world):
    run = computed_run(world, validate=True)
    invoices_issue(run=run, issued_on=dt.date(2026, 11, 16))
    return world


def test_the_agent_sees_and_downloads_its_titre(client, issued):
    member, other = issued["communes"][1], issued["communes"][2]
    client.force_login(AgentAccessFactory(member=member).user)
    own = Invoice.objects.get(member=member)
    page = client.get(f"/mon-espace/{member.pk}/factures/")
    assert own.reference in page.content.decode()
    assert Invoice.objects.get(member=other).reference not in page.content.decode()
    pdf = client.get(f"/mon-espace/{member.pk}/factures/{own.pk}/avis.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_another_members_titre_is_not_found(client, issued):
    member, other = issued["communes"][1], issued["communes"][2]
    client.force_login(AgentAccessFactory(member=member).user)
    foreign = Invoice.objects.get(member=other)
    assert client.get(f"/mon-espace/{member.pk}/factures/{foreign.pk}/avis.pdf").status_code == 404
    assert client.get(f"/mon-espace/{other.pk}/factures/").status_code == 404


def test_the_api_lists_only_the_agents_titres(issued):
    from rest_framework.test import APIClient

    member = issued["communes"][1]
    api = APIClient()
    api.force_authenticate(AgentAccessFactory(member=member).user)
    results = api.get("/api/v1/invoices/").json()["results"]
    assert [row["member"] for row in results] == [member.pk]
