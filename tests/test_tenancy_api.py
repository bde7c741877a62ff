"""Every endpoint of the OpenAPI schema, with the member's agent, another member's agent,
an operator and no token. A new endpoint is covered as soon as the schema lists it."""

import datetime as dt
import re

import pytest
from django.urls import resolve
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mutualis.catalog.models import Service, ServiceRequest
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.core.tests.factories import UserFactory
from mutualis.core.tests.tenancy import object_builders
from mutualis.members.models import Member
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory, MembershipFactory

PUBLIC_PATHS = {"/api/v1/token/", "/api/schema/", "/api/docs/"}


def schema_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper())
        for path, item in sorted(schema["paths"].items())
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def model_of(path: str):
    view = resolve(re.sub(r"\{\w+\}", "1", path)).func
    serializer = view.cls.serializer_class
    return serializer.Meta.model


def member_of(obj):
    return obj if isinstance(obj, Member) else getattr(obj, "member", None)


@pytest.fixture
def world(db):
    member_a = MembershipFactory(member=MemberFactory()).member
    member_b = MembershipFactory(member=MemberFactory()).member
    objects = {model: build(member_a) for model, build in object_builders().items()}
    return {
        "a": member_a,
        "b": member_b,
        "objects": objects,
        "agent_a": AgentAccessFactory(member=member_a).user,
        "agent_b": AgentAccessFactory(member=member_b).user,
        "operator": UserFactory(manager=True),
    }


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(
            HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}"
        )
    return client


def object_for(world, path):
    model = model_of(path)
    obj = world["objects"].get(model)
    assert obj is not None, (
        f"{path}: add a builder for {model.__name__} in its app's tests/tenancy.py"
    )
    return obj


def url_for(world, path):
    if "{" not in path:
        return path
    return re.sub(r"\{\w+\}", str(object_for(world, path).pk), path)


@pytest.mark.parametrize(("path", "method"), schema_operations())
def test_endpoint_rights(world, path, method):
    if path in PUBLIC_PATHS:
        return
    url = url_for(world, path)
    call = {"GET": "get", "POST": "post", "PUT": "put", "PATCH": "patch", "DELETE": "delete"}
    anonymous = getattr(client_for(None), call[method])(url, {}, format="json")
    assert anonymous.status_code == 401, f"{method} {url} answers anonymous {anonymous.status_code}"

    outsider = getattr(client_for(world["agent_b"]), call[method])(url, {}, format="json")
    tenant_data = "{" in path and member_of(object_for(world, path)) is not None
    if method == "GET" and "{" not in path:
        assert outsider.status_code == 200
        model = model_of(path)
        ids = [row["id"] for row in outsider.json()["results"]]
        if hasattr(model.objects, "visible_to"):
            visible = model.objects.visible_to(world["agent_b"]).filter(pk__in=ids).count()
            assert visible == len(ids), f"GET {url} lists another member's data"
    elif tenant_data:
        assert outsider.status_code in (403, 404), f"{method} {url}: outsider got in"
    elif method != "GET":
        assert outsider.status_code in (400, 403, 404, 405), (
            f"{method} {url}: {outsider.status_code}"
        )

    if method == "GET":
        own = client_for(world["agent_a"]).get(url)
        assert own.status_code == 200, f"GET {url}: the member's own agent got {own.status_code}"
        assert client_for(world["operator"]).get(url).status_code == 200


def test_an_agent_cannot_request_a_service_for_another_member(world):
    response = client_for(world["agent_b"]).post(
        "/api/v1/requests/",
        {
            "member": world["a"].pk,
            "service": world["objects"][Service].pk,
            "desired_start_date": "2026-01-01",
        },
        format="json",
    )
    assert response.status_code == 404
    existing = world["objects"][ServiceRequest].pk
    assert not world["a"].service_requests.exclude(pk=existing).exists()


def test_an_agent_requests_a_service_for_its_member_and_a_manager_approves(world):
    service = ServiceFactory()
    start = dt.date(timezone.localdate().year + 1, 3, 1)
    created = client_for(world["agent_a"]).post(
        "/api/v1/requests/",
        {"member": world["a"].pk, "service": service.pk, "desired_start_date": start.isoformat()},
        format="json",
    )
    assert created.status_code == 201, created.json()
    refused = client_for(world["agent_a"]).post(f"/api/v1/requests/{created.json()['id']}/approve/")
    assert refused.status_code == 403
    approved = client_for(world["operator"]).post(
        f"/api/v1/requests/{created.json()['id']}/approve/"
    )
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert world["a"].subscriptions.filter(service=service, start_date=start).exists()
