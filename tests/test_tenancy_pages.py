"""Every page of the app, walked from the URL configuration, with four visitors.

A view without an access policy fails here; so does a member page that answers another
member's agent. A new view is covered the moment it is added to a urls.py: give its policy
(mutualis/core/access.py) and, for a `pk` in its URL, a builder below.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from mutualis.core.roles import ROLE_CAPABILITIES, OperatorRole
from mutualis.core.tests.factories import UserFactory
from mutualis.core.tests.tenancy import object_builders
from mutualis.members.tests.factories import (
    AgentAccessFactory,
    MemberFactory,
    MembershipFactory,
)

SKIPPED_PREFIXES = ("admin/", "api/")  # the admin checks is_staff; the API has its own walk


def walk(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def app_pages():
    return [(route, p) for route, p in walk() if not route.startswith(SKIPPED_PREFIXES)]


def build_url(route: str, pattern: URLPattern, member_a) -> str:
    access = pattern.callback.access
    values = {}
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if name == "member_pk":
            values[name] = member_a.pk
        elif name == "pk":
            builders = object_builders()
            assert access.model in builders, (
                f"{route}: declare the model of `pk` in the view's access policy and add a "
                f"builder for it in the app's tests/tenancy.py"
            )
            values[name] = builders[access.model](member_a).pk
        elif access.kind == "public":
            values[name] = "x"  # public pages show nobody's data: any value will do
        else:
            pytest.fail(f"{route}: unknown URL parameter <{name}>: teach this test to build it")
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def test_every_view_declares_an_access_policy():
    missing = [route for route, p in app_pages() if not hasattr(p.callback, "access")]
    assert not missing, f"views without an access policy (mutualis/core/access.py): {missing}"


@pytest.fixture
def world(db):
    member_a = MembershipFactory(member=MemberFactory(name="Commune-Alpha-Secrete")).member
    member_b = MembershipFactory(member=MemberFactory(name="Commune-Beta")).member
    return {
        "a": member_a,
        "b": member_b,
        "agent_a": AgentAccessFactory(member=member_a).user,
        "agent_b": AgentAccessFactory(member=member_b).user,
    }


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/connexion/")


@pytest.mark.parametrize(("route", "pattern"), app_pages(), ids=lambda v: str(v))
def test_page_rights(client, world, route, pattern):
    if not hasattr(pattern.callback, "access"):
        pytest.fail(f"{route} has no access policy")
    access = pattern.callback.access
    url = build_url(route, pattern, world["a"])

    anonymous = client.get(url)
    if access.kind == "public":
        assert anonymous.status_code < 500
        return
    assert _is_login_redirect(anonymous), f"{url} answers anonymous with {anonymous.status_code}"

    client.force_login(world["agent_b"])
    for method in (client.get, client.post):
        outsider = method(url)
        if access.kind == "operator":
            assert outsider.status_code == 403, f"{url}: an agent got {outsider.status_code}"
        elif access.kind == "member":
            assert outsider.status_code == 404, f"{url}: another member's agent got in"
        else:  # authenticated: the page shows only the user's own data
            assert b"Commune-Alpha-Secrete" not in outsider.content, f"{url} leaks member A"

    if access.kind == "member":
        client.force_login(world["agent_a"])
        own = client.get(url)
        assert own.status_code in (200, 405), f"{url}: the member's own agent got {own.status_code}"

    for role in OperatorRole:
        client.force_login(UserFactory(operator_role=role))
        response = client.get(url)
        allowed = access.capability is None or access.capability in ROLE_CAPABILITIES[role]
        if access.kind == "operator" and not allowed:
            assert response.status_code == 403, f"{url}: {role} got {response.status_code}"
        else:
            assert response.status_code in (200, 302, 405), (
                f"{url}: {role} got {response.status_code}"
            )
