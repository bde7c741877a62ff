"""Behind a reverse proxy: the lockout and the limits count the person's address, not the
proxy's; the token endpoint and the password reset form are rate-limited; uploaded documents
have a size limit."""

import importlib

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from mutualis.core.security import client_ip
from mutualis.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_NETWORKS = []
    return settings


def through_proxy(client_address: str) -> dict:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


def _ip(**meta) -> str:
    return client_ip(RequestFactory().get("/", **meta))


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.CLIENT_IP_HEADER = ""
    assert _ip(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4") == "198.51.100.7"


def test_the_address_the_proxy_appended_is_the_client(behind_proxy):
    forged_then_real = "1.2.3.4, 198.51.100.7"
    assert _ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged_then_real) == "198.51.100.7"
    behind_proxy.TRUSTED_PROXY_COUNT = 2  # a CDN in front of the proxy appends too
    assert _ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged_then_real) == "1.2.3.4"
    assert _ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="pas-une-adresse") == PROXY
    assert _ip(REMOTE_ADDR=PROXY) == PROXY


def test_the_header_is_believed_only_from_the_trusted_proxies(behind_proxy):
    import ipaddress

    behind_proxy.TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    assert _ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7") == "198.51.100.7"
    assert _ip(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.7") == "203.0.113.9"


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(behind_proxy):
    UserFactory(username="secretaire")
    attacker, user = Client(**through_proxy("203.0.113.9")), Client(**through_proxy("198.51.100.7"))
    for _ in range(6):
        attacker.post("/connexion/", {"username": "secretaire", "password": "faux"})
    good = {"username": "secretaire", "password": "motdepasse-solide"}
    assert attacker.post("/connexion/", good).status_code == 429
    assert user.post("/connexion/", good).status_code == 302
    assert "_auth_user_id" in user.session


def test_the_token_endpoint_locks_a_username_from_an_address(behind_proxy):
    UserFactory(username="integration")
    attacker = APIClient(**through_proxy("203.0.113.9"))
    for _ in range(5):
        attacker.post("/api/v1/token/", {"username": "integration", "password": "faux"})
    good = {"username": "integration", "password": "motdepasse-solide"}
    refused = attacker.post("/api/v1/token/", good)  # the right password, but locked out
    assert refused.status_code == 429 and "token" not in refused.json()
    assert "bloqué" in refused.json()["detail"]  # not « wrong password »
    other = APIClient(**through_proxy("198.51.100.7")).post("/api/v1/token/", good)
    assert other.status_code == 200 and other.json()["token"]


def test_the_token_endpoint_is_throttled_by_address(behind_proxy):
    behind_proxy.REST_FRAMEWORK = {
        **behind_proxy.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "5000/hour", "token": "3/hour"},
    }
    UserFactory(username="integration")
    good = {"username": "integration", "password": "motdepasse-solide"}
    busy = APIClient(**through_proxy("203.0.113.9"))
    answers = [busy.post("/api/v1/token/", good).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert (
        APIClient(**through_proxy("198.51.100.7")).post("/api/v1/token/", good).status_code == 200
    )


def test_reset_links_are_limited_per_email_and_per_address(behind_proxy):
    behind_proxy.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    behind_proxy.PASSWORD_RESET_LIMIT_PER_ADDRESS = 4
    UserFactory(email="secretaire@mairie.fr")
    UserFactory(email="autre@mairie.fr")
    url = "/connexion/mot-de-passe/"
    client = Client(**through_proxy("203.0.113.9"))
    answers = [client.post(url, {"email": "secretaire@mairie.fr"}).status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    assert len(mail.outbox) == 2
    refused = client.post(url, {"email": "SECRETAIRE@mairie.fr "})
    assert refused.status_code == 429
    assert "Trop de demandes" in refused.content.decode()
    assert client.post(url, {"email": "autre@mairie.fr"}).status_code == 429  # 5th from here
    elsewhere = Client(**through_proxy("198.51.100.7"))
    assert elsewhere.post(url, {"email": "autre@mairie.fr"}).status_code == 302
    assert len(mail.outbox) == 3


def test_a_document_too_heavy_is_refused_in_french(settings):
    from mutualis.members.forms import MembershipForm
    from mutualis.members.tests.factories import MemberFactory

    settings.DOCUMENT_MAX_MB = 1
    heavy = SimpleUploadedFile(
        "deliberation.pdf", b"%PDF-1.4 " + b"0" * (1024 * 1024), content_type="application/pdf"
    )
    light = SimpleUploadedFile(
        "deliberation.pdf", b"%PDF-1.4 court", content_type="application/pdf"
    )
    data = {
        "start_date": "2026-01-01",
        "part": "full",
        "decision_body": "Conseil municipal",
        "decision_date": "2025-12-01",
    }
    member = MemberFactory()
    form = MembershipForm(data, {"decision_document": heavy}, member=member)
    assert not form.is_valid()
    assert form.errors["decision_document"] == [
        "Ce document pèse plus de 1 Mo : envoyez une version plus légère."
    ]
    assert MembershipForm(data, {"decision_document": light}, member=member).is_valid()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLIENT_IP_HEADER", "X-Forwarded-For: evil"),
        ("TRUSTED_PROXY_IPS", "10.0.0.1,pas-un-reseau"),
        ("TRUSTED_PROXY_COUNT", "0"),
        ("CACHE_BACKEND", "redis"),
    ],
)
def test_an_unreadable_proxy_setting_stops_the_start(monkeypatch, name, value):
    import mutualis.config.settings.base as base

    monkeypatch.setenv(name, value)
    try:
        with pytest.raises(ImproperlyConfigured):
            importlib.reload(base)
    finally:
        monkeypatch.delenv(name)
        importlib.reload(base)
