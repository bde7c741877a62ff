"""API details a client relies on: French errors, one member's data, the catalogue an agent
can ask for."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mutualis.catalog.models import ServiceStatus
from mutualis.catalog.tests.factories import ServiceFactory, SubscriptionFactory
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, EpciMemberFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_not_found_is_said_in_french():
    access = AgentAccessFactory()
    response = client_for(access.user).get("/api/v1/subscriptions/999999/")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Introuvable")


def test_member_parameter_narrows_a_list():
    first, second = SubscriptionFactory(), SubscriptionFactory()
    operator = client_for(UserFactory(manager=True))
    rows = operator.get("/api/v1/subscriptions/", {"member": first.member_id}).json()["results"]
    assert [row["id"] for row in rows] == [first.pk]
    assert second.pk not in [row["id"] for row in rows]
    assert operator.get("/api/v1/subscriptions/", {"member": "x"}).status_code == 400


def test_an_agent_sees_the_services_open_to_its_collectivite():
    access = AgentAccessFactory()
    open_to_all = ServiceFactory()
    ServiceFactory(status=ServiceStatus.CLOSED)
    ServiceFactory(eligible_kinds=["epci"])
    rows = client_for(access.user).get("/api/v1/services/").json()["results"]
    assert [row["id"] for row in rows] == [open_to_all.pk]
    assert (
        len(client_for(UserFactory(manager=True)).get("/api/v1/services/").json()["results"]) == 3
    )


def test_a_refusal_comes_back_under_non_field_errors():
    epci_agent = AgentAccessFactory(member=EpciMemberFactory())
    closed = ServiceFactory(status=ServiceStatus.CLOSED)
    response = client_for(epci_agent.user).post(
        "/api/v1/requests/",
        {"member": epci_agent.member_id, "service": closed.pk, "desired_start_date": "2099-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_a_refused_write_is_said_in_french():
    response = client_for(UserFactory(read_only=True)).post(
        "/api/v1/purchasing/orders/", {}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Votre rôle ne permet pas cette écriture."


def test_a_view_without_a_write_rule_takes_no_write():
    """The default permission refuses a write that no rule allows, on any kind of view."""
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory, force_authenticate
    from rest_framework.views import APIView

    from mutualis.core.roles import Capability, operators_with

    class Forgotten(APIView):
        def get(self, request):
            return Response({})

        def post(self, request):
            return Response({}, status=201)

    class Declared(Forgotten):
        write_rules = {"post": operators_with(Capability.MANAGE_CATALOG)}

    manager, reader = UserFactory(manager=True), UserFactory(read_only=True)
    factory = APIRequestFactory()

    def status(view, user, method="post"):
        request = getattr(factory, method)("/x/")
        force_authenticate(request, user)
        return view.as_view()(request).status_code

    assert status(Forgotten, manager) == 403
    assert status(Forgotten, manager, "get") == 200
    assert status(Forgotten, manager, "delete") == 405
    assert status(Declared, manager) == 201
    assert status(Declared, reader) == 403
