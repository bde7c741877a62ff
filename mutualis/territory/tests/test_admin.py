"""The territory admin: read-only, searchable by name (accents ignored) and code."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from mutualis.territory.models import Commune, Departement, Epci, Region
from mutualis.territory.services import territory_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(db):
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    return request


@pytest.mark.parametrize("model", [Region, Departement, Epci, Commune])
def test_registered_and_read_only(model, request_):
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request_)
    assert not model_admin.has_add_permission(request_)
    assert not model_admin.has_change_permission(request_)
    assert not model_admin.has_delete_permission(request_)


@pytest.mark.parametrize(
    ("term", "expected"),
    [("33394", {"33394"}), ("saint emilion", {"33394"}), ("Pessac", {"33318"})],
)
def test_commune_search(tiny_data, request_, term, expected):
    territory_load(data=tiny_data)
    model_admin = admin.site._registry[Commune]

    results, _ = model_admin.get_search_results(request_, Commune.objects.all(), term)

    assert {commune.insee_code for commune in results} == expected


def test_epci_search(tiny_data, request_):
    territory_load(data=tiny_data)
    model_admin = admin.site._registry[Epci]

    results, _ = model_admin.get_search_results(request_, Epci.objects.all(), "metropole")

    assert [epci.siren for epci in results] == ["243300316"]
