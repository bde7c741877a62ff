"""With DEBUG off, a missing page and a server error answer in French, in the layout."""

import pytest
from django.test import Client, RequestFactory
from django.urls import get_resolver

from mutualis.core.tests.factories import UserFactory
from mutualis.core.views import server_error

LAYOUT = ("Aller au contenu", "css/mutualis.css", "logiciel libre pour la mutualisation")


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


@pytest.mark.django_db
def test_a_missing_page_answers_in_french_in_the_layout(client):
    anonymous = client.get("/cette-page-n-existe-pas/")
    client.force_login(UserFactory(manager=True))
    logged_in = client.get("/operateur/cette-page-n-existe-pas/")
    for response in (anonymous, logged_in):
        page = response.content.decode()
        assert response.status_code == 404
        assert "Page introuvable" in page and '<html lang="fr">' in page
        assert all(part in page for part in LAYOUT)
    assert "Tableau de bord" in logged_in.content.decode()  # the navigation of the layout


@pytest.mark.django_db
def test_a_server_error_answers_in_french_in_the_layout(monkeypatch):
    def broken(*args):
        raise RuntimeError("panne")

    monkeypatch.setattr("mutualis.core.views.has_capability", broken)
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(manager=True))
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Une erreur est survenue" in page and "panne" not in page
    assert all(part in page for part in LAYOUT)
    assert get_resolver().resolve_error_handler(500) is server_error


def test_the_error_page_needs_neither_the_database_nor_the_session():
    # No django_db mark: any query would fail the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


def test_the_error_page_still_answers_when_the_layout_cannot_be_drawn(settings, tmp_path):
    # A production storage without collected static files: {% static %} fails in the layout.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Une erreur est survenue" in page and '<html lang="fr">' in page
    assert "css/mutualis.css" not in page


def test_an_unknown_api_address_answers_json(client):
    response = client.get("/api/v1/nexiste-pas/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "Introuvable" in response.json()["detail"]
