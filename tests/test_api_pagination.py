"""Every list of the API answers pages of at most 1,000 rows, and a limit or offset that is
not a whole number in range is a 400 in French, never a server error."""

import pytest
from rest_framework.test import APIClient

from mutualis.core.tests.factories import UserFactory
from mutualis.core.tests.tenancy import object_builders
from mutualis.members.models import Member, MemberKind
from mutualis.members.tests.factories import MemberFactory, MembershipFactory
from tests.schema import list_paths

LISTS = list_paths()


@pytest.fixture
def manager(db):
    member = MembershipFactory(member=MemberFactory()).member
    for build in object_builders().values():
        build(member)
    client = APIClient()
    client.force_authenticate(UserFactory(manager=True))
    return client


def test_the_walk_finds_the_lists():
    assert "/api/v1/members/" in LISTS and "/api/v1/purchasing/orders/" in LISTS
    assert len(LISTS) >= 15


@pytest.mark.parametrize("path", LISTS)
def test_absurd_limits_and_offsets(manager, path):
    first = manager.get(path, {"limit": 1})
    assert first.status_code == 200, first.content
    assert first.json()["count"] >= 1, f"{path}: no row to page through (add one to the builders)"
    assert len(first.json()["results"]) == 1

    huge = manager.get(path, {"limit": "9223372036854775808"})
    assert huge.status_code == 200
    assert len(huge.json()["results"]) == first.json()["count"]

    far = manager.get(path, {"offset": "9223372036854775808"})
    assert far.status_code == 200 and far.json()["results"] == []
    assert manager.get(path, {"offset": "9" * 5000}).status_code == 200

    for name, value in [
        ("limit", "-1"),
        ("limit", "0"),
        ("limit", "abc"),
        ("limit", "1.5"),
        ("offset", "-5"),
        ("offset", "x"),
    ]:
        refused = manager.get(path, {name: value})
        assert refused.status_code == 400, f"{path}?{name}={value}: {refused.status_code}"
        assert "nombre entier" in refused.json()[name][0]


def test_a_page_holds_at_most_a_thousand_rows(manager):
    Member.objects.bulk_create(
        Member(kind=MemberKind.OTHER, name=f"Syndicat {n}") for n in range(1001)
    )
    response = manager.get("/api/v1/members/", {"limit": 5000})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1000
    assert "limit=1000" in response.json()["next"]
    assert len(manager.get("/api/v1/members/").json()["results"]) == 100


def test_the_schema_states_the_bounds():
    from tests.schema import schema_paths

    limit = next(
        p for p in schema_paths()["/api/v1/members/"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 1000}
