"""A member's agent asks for a service in « Mon espace »; a manager decides in the inbox."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mutualis.catalog.models import RequestStatus, ServiceStatus
from mutualis.catalog.services import (
    service_request_approve,
    service_request_create,
    service_request_refuse,
)
from mutualis.catalog.tests.factories import ServiceFactory, ServiceRequestFactory
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = dt.date(timezone.localdate().year + 1, 1, 1)


def test_request_then_approval_creates_a_dated_subscription(client):
    access = AgentAccessFactory()
    member, service = access.member, ServiceFactory()
    client.force_login(access.user)
    response = client.post(
        f"/mon-espace/{member.pk}/catalogue/{service.pk}/demande/",
        {"desired_start_date": NEXT_YEAR.isoformat(), "message": "Merci"},
    )
    service_request = member.service_requests.get()
    assert response.status_code == 302
    assert service_request.status == RequestStatus.PENDING

    client.force_login(UserFactory(manager=True))
    response = client.post(
        f"/operateur/demandes/{service_request.pk}/", {"decision": "approve", "start_date": ""}
    )
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.APPROVED
    assert service_request.subscription.start_date == NEXT_YEAR
    assert member.subscriptions.get().service == service


def test_a_refusal_needs_a_reason_and_the_agent_sees_it(client):
    service_request = ServiceRequestFactory()
    client.force_login(UserFactory(manager=True))
    response = client.post(f"/operateur/demandes/{service_request.pk}/", {"decision": "refuse"})
    assert response.status_code == 200  # the form comes back with the error
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.PENDING
    client.post(
        f"/operateur/demandes/{service_request.pk}/",
        {"decision": "refuse", "reason": "Service réservé aux EPCI"},
    )
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.REFUSED
    agent = AgentAccessFactory(member=service_request.member).user
    client.force_login(agent)
    page = client.get(f"/mon-espace/{service_request.member_id}/demandes/{service_request.pk}/")
    assert "Service réservé aux EPCI" in page.content.decode()


def test_a_read_only_operator_cannot_decide(client):
    service_request = ServiceRequestFactory()
    client.force_login(UserFactory(read_only=True))
    client.post(f"/operateur/demandes/{service_request.pk}/", {"decision": "approve"})
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.PENDING
    assert not service_request.member.subscriptions.exists()


def test_a_request_is_decided_once():
    service_request = ServiceRequestFactory()
    manager = UserFactory(manager=True)
    service_request_approve(service_request=service_request, decided_by=manager)
    with pytest.raises(ValidationError):
        service_request_refuse(service_request=service_request, decided_by=manager, reason="x")
    assert service_request.member.subscriptions.count() == 1


def test_a_pending_request_can_be_cancelled_by_the_agent(client):
    service_request = ServiceRequestFactory()
    client.force_login(AgentAccessFactory(member=service_request.member).user)
    client.post(f"/mon-espace/{service_request.member_id}/demandes/{service_request.pk}/annuler/")
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.CANCELLED


def test_closed_or_ineligible_services_cannot_be_requested():
    access = AgentAccessFactory()
    closed = ServiceFactory(status=ServiceStatus.CLOSED)
    epci_only = ServiceFactory(eligible_kinds=["epci"])
    for service in (closed, epci_only):
        with pytest.raises(ValidationError):
            service_request_create(
                member=access.member,
                service=service,
                requested_by=access.user,
                desired_start_date=NEXT_YEAR,
            )


def test_a_second_pending_request_for_the_same_service_is_refused():
    service_request = ServiceRequestFactory()
    with pytest.raises(ValidationError):
        service_request_create(
            member=service_request.member,
            service=service_request.service,
            requested_by=service_request.requested_by,
            desired_start_date=NEXT_YEAR,
        )


def test_a_start_date_in_the_past_is_refused(client):
    access = AgentAccessFactory()
    service = ServiceFactory()
    client.force_login(access.user)
    response = client.post(
        f"/mon-espace/{access.member_id}/catalogue/{service.pk}/demande/",
        {"desired_start_date": "2020-01-01"},
    )
    assert response.status_code == 200
    assert "ne peut pas être passée" in response.content.decode()
    assert not access.member.service_requests.exists()


def test_a_future_subscription_shows_as_subscribed_in_the_catalogue(client):
    from mutualis.catalog.tests.factories import SubscriptionFactory

    access = AgentAccessFactory()
    subscription = SubscriptionFactory(member=access.member, start_date=NEXT_YEAR)
    client.force_login(access.user)
    page = client.get(f"/mon-espace/{access.member_id}/catalogue/").content.decode()
    assert f"Souscrit à partir du {NEXT_YEAR:%d/%m/%Y}" in page
    assert f"/catalogue/{subscription.service_id}/demande/" not in page


def test_the_agent_is_told_of_the_decision_by_email(django_capture_on_commit_callbacks):
    from django.core import mail

    service_request = ServiceRequestFactory()
    with django_capture_on_commit_callbacks(execute=True):
        service_request_refuse(
            service_request=service_request,
            decided_by=UserFactory(manager=True),
            reason="Réservé aux EPCI",
        )
    assert [m.to for m in mail.outbox] == [[service_request.requested_by.email]]
    assert "Réservé aux EPCI" in mail.outbox[0].body
