"""Login throttling, CSRF, secure cookies and security headers."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from mutualis.config.env import env_bool
from mutualis.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client):
    response = client.get("/operateur/membres/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_security_headers_are_sent(client):
    client.force_login(UserFactory(manager=True))
    response = client.get("/operateur/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_login_is_throttled_after_five_failures():
    UserFactory(username="secretaire")
    client = Client()
    for _ in range(5):
        client.post("/connexion/", {"username": "secretaire", "password": "faux"})
    locked = client.post("/connexion/", {"username": "secretaire", "password": "motdepasse-solide"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_good_password_logs_in():
    UserFactory(username="secretaire")
    client = Client()
    response = client.post(
        "/connexion/", {"username": "secretaire", "password": "motdepasse-solide"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_posts_without_csrf_token_are_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(manager=True))
    response = client.post("/operateur/membres/ajouter/", {"code": "33063"})
    assert response.status_code == 403


def test_production_settings_use_secure_cookies(monkeypatch):
    import importlib

    import mutualis.config.settings.base as base

    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    reloaded = importlib.reload(base)
    try:
        assert reloaded.SESSION_COOKIE_SECURE is True
        assert reloaded.CSRF_COOKIE_SECURE is True
        assert reloaded.DEBUG is False
    finally:
        importlib.reload(base)


@pytest.mark.parametrize("value", ["maybe", "2", "oui"])
def test_an_unreadable_boolean_setting_is_an_error(monkeypatch, value):
    monkeypatch.setenv("SOME_FLAG", value)
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG", False)


def test_the_superuser_administers_everything(client):
    from mutualis.members.tests.factories import MemberFactory

    member = MemberFactory()
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(f"/operateur/membres/{member.pk}/").status_code == 200
    assert client.get("/operateur/catalogue/nouveau/").status_code == 200


def test_a_refused_page_explains_itself_in_the_layout(client):
    from mutualis.members.tests.factories import AgentAccessFactory

    client.force_login(AgentAccessFactory().user)
    response = client.get("/operateur/membres/")
    assert response.status_code == 403
    assert "Vous n'avez pas accès à cette page" in response.content.decode()
    assert response.templates[0].name == "403.html"


def test_htmx_fragments_vary_on_the_htmx_header(client):
    client.force_login(UserFactory(manager=True))
    whole = client.get("/operateur/membres/")
    fragment = client.get("/operateur/membres/", headers={"HX-Request": "true"})
    restored = client.get(
        "/operateur/membres/",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "HX-Request" in whole["Vary"]
    assert b"<html" in whole.content and b"<html" not in fragment.content
    assert b"<html" in restored.content


@pytest.mark.parametrize(
    ("path", "section"),
    [("/operateur/", "Tableau de bord"), ("/operateur/consommations/", "Facturation")],
)
def test_the_navigation_marks_the_current_section(client, path, section):
    client.force_login(UserFactory(administrator=True))
    items = client.get(path).context["nav_items"]
    assert [item["label"] for item in items if item["current"]] == [section]


def test_the_menu_groups_sections_and_shows_the_current_groups_beneath(client):
    """Seven groups in the header instead of twelve sections; the current group's sections
    in a second menu, the current one marked; a group says the counts of its sections."""
    from mutualis.catalog.tests.factories import ServiceRequestFactory

    ServiceRequestFactory()
    client.force_login(UserFactory(administrator=True))
    response = client.get("/operateur/membres/")
    items = response.context["nav_items"]
    assert len(items) <= 7
    (group,) = [item for item in items if item["current"]]
    assert group["label"] == "Membres et offre (1 en attente)"
    assert [c["label"] for c in group["children"] if c["current"]] == ["Membres"]
    assert "Demandes (1 en attente)" in [c["label"] for c in group["children"]]
    page = response.content.decode()
    assert 'aria-label="Rubriques : Membres et offre (1 en attente)"' in page
    assert page.count('aria-current="page"') == 1
