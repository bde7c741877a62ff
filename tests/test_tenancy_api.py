"""Every endpoint of the OpenAPI schema, with every HTTP method, by an anonymous client, an
account that sees no member, member A's agent, member B's agent and one account per
operator role. URLs and bodies name member A's objects; a refused write must change nothing
in the database. Who may write is written down here, in API_WRITES, apart from the code.

A new endpoint is covered as soon as the schema lists it: add its writes to API_WRITES and,
for a new model, a builder in its app's tests/tenancy.py.
"""

import re

import pytest
from rest_framework.test import APIClient

from mutualis.catalog.models import Service, ServiceRequest, Subscription
from mutualis.core.roles import Capability as C
from mutualis.members.models import Member
from mutualis.purchasing.models import Lot, Need, Order
from tests.schema import METHODS, model_of, schema_operations, schema_paths
from tests.tenancy_world import (
    ROLES,
    VISITORS,
    Expect,
    agents_and,
    changes,
    db_state,
    owned_by_a,
)

API_WRITES: dict[tuple[str, str], Expect] = {
    ("/api/v1/services/", "POST"): Expect(C.MANAGE_CATALOG),
    ("/api/v1/services/{id}/", "PATCH"): Expect(C.MANAGE_CATALOG),
    ("/api/v1/requests/", "POST"): agents_and(C.DECIDE_REQUESTS),
    ("/api/v1/requests/{id}/approve/", "POST"): Expect(C.DECIDE_REQUESTS),
    ("/api/v1/requests/{id}/refuse/", "POST"): Expect(C.DECIDE_REQUESTS),
    ("/api/v1/purchasing/campaigns/", "POST"): Expect(C.MANAGE_PURCHASING),
    ("/api/v1/purchasing/lots/", "POST"): Expect(C.MANAGE_PURCHASING),
    ("/api/v1/purchasing/needs/", "POST"): agents_and(C.MANAGE_PURCHASING),
    ("/api/v1/purchasing/needs/{id}/", "PATCH"): agents_and(C.MANAGE_PURCHASING),
    ("/api/v1/purchasing/orders/", "POST"): agents_and(C.MANAGE_PURCHASING),
    ("/api/v1/usage/", "POST"): Expect(C.MANAGE_BILLING),
    ("/api/v1/staffing/work-log/", "POST"): Expect(C.LOG_WORK),
    ("/api/v1/staffing/work-log/{id}/acknowledge/", "POST"): agents_and(None),
    ("/api/v1/staffing/work-log/{id}/contest/", "POST"): agents_and(None),
    ("/api/v1/iot/sensors/", "POST"): Expect(C.MANAGE_IOT),
}

# Changes to the representation of member A's object that make a valid body for a write.
BODY_CHANGES = {
    "/api/v1/services/": lambda w: {"code": "nouveau-service", "name": "Nouveau service"},
    "/api/v1/services/{id}/": lambda w: {"name": "Sauvegarde externalisée"},
    "/api/v1/requests/": lambda w: {
        "service": w.objects[Service].pk,
        "desired_start_date": "2031-03-01",
    },
    "/api/v1/requests/{id}/refuse/": lambda w: {"reason": "Service réservé aux EPCI."},
    "/api/v1/purchasing/campaigns/": lambda w: {"name": "Copieurs 2027"},
    "/api/v1/purchasing/needs/{id}/": lambda w: {"quantity": "7"},
    "/api/v1/purchasing/orders/": lambda w: {"ordered_on": "2026-10-05", "reference": "BC-9"},
    "/api/v1/usage/": lambda w: {  # a month of a service member A subscribes to
        "service": w.objects[Subscription].service_id,
        "quantity": "42",
    },
    "/api/v1/staffing/work-log/{id}/contest/": lambda w: {"reason": "Personne n'est venu."},
    "/api/v1/iot/sensors/": lambda w: {"dev_eui": "a840410000fffff1", "name": "Stade, vestiaires"},
}
# With those bodies, an allowed visitor's write goes through: a refusal of the same body
# proves the rights, not a malformed request.
WRITES_SOMETHING = {
    ("/api/v1/services/", "POST"),
    ("/api/v1/services/{id}/", "PATCH"),
    ("/api/v1/requests/", "POST"),
    ("/api/v1/requests/{id}/approve/", "POST"),
    ("/api/v1/requests/{id}/refuse/", "POST"),
    ("/api/v1/purchasing/campaigns/", "POST"),
    ("/api/v1/purchasing/orders/", "POST"),
    ("/api/v1/usage/", "POST"),
    ("/api/v1/staffing/work-log/{id}/acknowledge/", "POST"),
    ("/api/v1/staffing/work-log/{id}/contest/", "POST"),
    ("/api/v1/iot/sensors/", "POST"),
}

OPERATIONS = schema_operations()
PATHS = sorted({path for path, _method in OPERATIONS})
OTHER_METHODS = [
    (path, method.upper())
    for path in PATHS
    for method in METHODS
    if method not in schema_paths()[path]
]


def test_the_rights_table_lists_every_write_of_the_schema():
    writes = {(path, method) for path, method in OPERATIONS if method != "GET"}
    assert writes - set(API_WRITES) == set(), "add these writes to API_WRITES"
    assert set(API_WRITES) - writes == set(), "these writes are gone from the schema"


def client_for(world, visitor: str) -> APIClient:
    client = APIClient()
    if visitor != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[visitor]}")
    return client


def object_for(world, path):
    model = model_of(path)
    obj = world.objects.get(model)
    assert obj is not None, f"{path}: add a builder for {model.__name__} in its app's tenancy.py"
    return obj


def url_for(world, path):
    if "{" not in path:
        return path
    return re.sub(r"\{\w+\}", str(object_for(world, path).pk), path)


def body_for(world, path) -> dict:
    """Member A's object as the API shows it, changed into a valid write."""
    body = {}
    if not path.rstrip("/").endswith(("approve", "refuse", "acknowledge", "contest")):
        obj = object_for(world, path)
        detail = re.sub(r"\{\w+\}/?$", "", path) if "{" in path else path
        shown = client_for(world, "administrator").get(f"{detail}{obj.pk}/")
        assert shown.status_code == 200, f"{detail}{obj.pk}/: {shown.status_code}"
        body = {k: v for k, v in shown.json().items() if v is not None and k != "id"}
    return body | BODY_CHANGES.get(path, lambda w: {})(world)


def call(client, method: str, url: str, body: dict | None = None):
    return getattr(client, method.lower())(url, body or {}, format="json")


def _refused(response, statuses, changed, what):
    assert response.status_code in statuses, f"{what}: {response.status_code}, expected {statuses}"
    assert not changed, f"{what} was refused ({response.status_code}) but changed: {changed}"


@pytest.mark.parametrize(
    ("path", "method", "visitor"),
    [(p, m, v) for p, m in OPERATIONS for v in VISITORS],
    ids=lambda v: str(v),
)
def test_endpoint_rights(db, world, path, method, visitor):
    url = url_for(world, path)
    client = client_for(world, visitor)
    what = f"{visitor} {method} {url}"
    if method == "GET":
        _check_read(world, client, path, url, visitor, what)
        return

    body = body_for(world, path)
    before = db_state()
    response = call(client, method, url, body)
    changed = changes(before, db_state())
    expect = API_WRITES[(path, method)]
    if visitor == "anonymous":
        _refused(response, (401,), changed, what)
    elif expect.allows(visitor):
        assert response.status_code in (200, 201, 400), f"{what}: {response.status_code}"
        if (path, method) in WRITES_SOMETHING:
            assert response.status_code in (200, 201), f"{what}: {response.json()}"
            assert changed, f"{what}: the write did not happen"
    elif expect.agents and visitor == "agent_b":
        # The agents' write, but naming member A's objects: not found, as if absent.
        _refused(response, (404,), changed, what)
    else:
        _refused(response, (403,), changed, what)


def _check_read(world, client, path, url, visitor, what):
    response = client.get(url)
    if visitor == "anonymous":
        assert response.status_code == 401, f"{what}: {response.status_code}"
        return
    if "{" not in path:
        assert response.status_code == 200, f"{what}: {response.status_code}"
        model = model_of(path)
        ids = [row["id"] for row in response.json()["results"]]
        if hasattr(model.objects, "visible_to"):
            user = world.users[visitor]
            visible = model.objects.visible_to(user).filter(pk__in=ids).count()
            assert visible == len(ids), f"{what} lists another member's data"
        if visitor == "agent_b" and owned_by_a(world, object_for(world, path)):
            assert object_for(world, path).pk not in ids, f"{what} lists member A's object"
        return
    obj = object_for(world, path)
    if visitor in ("agent_b", "stranger") and owned_by_a(world, obj):
        assert response.status_code == 404, f"{what}: {response.status_code}"
    elif visitor in ("agent_a", "elu_a", *ROLES):
        assert response.status_code == 200, f"{what}: {response.status_code}"


@pytest.mark.parametrize(
    ("path", "method", "visitor"),
    [(p, m, v) for p, m in OTHER_METHODS for v in VISITORS],
    ids=lambda v: str(v),
)
def test_methods_an_endpoint_does_not_take(db, world, path, method, visitor):
    url = url_for(world, path)
    before = db_state()
    response = call(client_for(world, visitor), method, url, {"member": world.a.pk})
    statuses = (401,) if visitor == "anonymous" else (403, 405)
    _refused(response, statuses, changes(before, db_state()), f"{visitor} {method} {url}")


@pytest.mark.parametrize("path", ["/api/v1/purchasing/needs/", "/api/v1/purchasing/orders/"])
def test_own_member_with_another_members_lot(db, world, path):
    """B's agent names its own member but member A's lot (a campaign B is not invited to)."""
    body = body_for(world, path) | {"member": world.b.pk, "lot": world.objects[Lot].pk}
    before = db_state()
    response = call(client_for(world, "agent_b"), "POST", path, body)
    _refused(response, (404,), changes(before, db_state()), f"agent_b POST {path}")


def test_an_agent_cannot_order_for_another_member(db, world):
    order = world.objects[Order]
    body = {"lot": order.lot_id, "member": world.a.pk, "ordered_on": "2026-10-05", "quantity": 3}
    counts = Order.objects.count(), Need.objects.count()
    for visitor in ("agent_b", "read_only", "technician"):
        response = call(client_for(world, visitor), "POST", "/api/v1/purchasing/orders/", body)
        assert response.status_code in (403, 404), f"{visitor}: {response.status_code}"
    assert (Order.objects.count(), Need.objects.count()) == counts
    created = call(client_for(world, "agent_a"), "POST", "/api/v1/purchasing/orders/", body)
    assert created.status_code == 201, created.json()
    assert Order.objects.get(pk=created.json()["id"]).member_id == world.a.pk


def test_an_agent_requests_a_service_for_its_member_and_a_manager_approves(db, world):
    service = world.objects[Service]
    body = {"member": world.a.pk, "service": service.pk, "desired_start_date": "2031-03-01"}
    refused = call(client_for(world, "read_only"), "POST", "/api/v1/requests/", body)
    assert refused.status_code == 403
    created = call(client_for(world, "agent_a"), "POST", "/api/v1/requests/", body)
    assert created.status_code == 201, created.json()
    approve = f"/api/v1/requests/{created.json()['id']}/approve/"
    assert call(client_for(world, "agent_a"), "POST", approve).status_code == 403
    approved = call(client_for(world, "manager"), "POST", approve)
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert ServiceRequest.objects.get(pk=created.json()["id"]).subscription is not None
    assert Member.objects.get(pk=world.a.pk).subscriptions.filter(service=service).exists()


AGENT_CREATES = sorted(
    path for (path, method), expect in API_WRITES.items() if method == "POST" and expect.agents
)


@pytest.mark.parametrize("path", [p for p in AGENT_CREATES if "{" not in p])
def test_another_members_id_is_answered_like_an_absent_one(db, world, path):
    """No oracle: naming member A's object or an id that exists nowhere gets the same answer,
    so an agent cannot learn which ids other members have."""
    body = body_for(world, path)
    references = [key for key in ("member", "lot") if key in body]
    assert references, f"{path}: no reference to another member's object in {sorted(body)}"
    client = client_for(world, "agent_b")
    for key in references:
        before = db_state()
        others = call(client, "POST", path, body | {key: body[key]})
        absent = call(client, "POST", path, body | {key: 10**9})
        what = f"agent_b POST {path} with {key}"
        assert not changes(before, db_state()), f"{what}: something was written"
        assert others.status_code == absent.status_code == 404, (
            f"{what}: {others.status_code} vs {absent.status_code}"
        )
        assert others.json() == absent.json(), what
