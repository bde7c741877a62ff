"""Staff who can issue titres or manage rights cannot act without their second factor; agents
may opt in. These tests log in through the real pages (password, then code)."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from mutualis.billing.models import Tariff
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory

pytestmark = pytest.mark.django_db
PASSWORD = "un-mot-de-passe-solide-42"
VERIFY = "/connexion/double-authentification/"
ENROL = "/connexion/double-authentification/activer/"


def _user(**traits):
    user = UserFactory(**traits)
    user.set_password(PASSWORD)
    user.save()
    return user


def _password_login(user) -> Client:
    client = Client()
    response = client.post("/connexion/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)


@pytest.fixture
def no_throttle(settings):
    """A wrong code delays the next try (django-otp's throttling): not in these tests."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_an_accountant_with_only_the_password_cannot_open_or_write_anything(no_throttle):
    accountant = _user(accountant=True)
    device = _enrolled(accountant)
    client = _password_login(accountant)
    page = client.get("/operateur/facturation/tarifs/")
    assert page.status_code == 302 and page["Location"].startswith(VERIFY)
    service = ServiceFactory()
    write = client.post(
        "/operateur/facturation/tarifs/nouveau/",
        {"service": service.pk, "year": "2027", "text": "x"},
    )
    assert write.status_code == 302 and write["Location"].startswith(VERIFY)
    assert not Tariff.objects.exists()
    assert client.get("/api/v1/members/").status_code == 403
    assert client.post("/api/v1/usage/", {}).status_code == 403

    wrong = client.post(VERIFY, {"code": "000000"})
    assert "Code incorrect" in wrong.content.decode()
    assert client.get("/operateur/facturation/tarifs/").status_code == 302
    done = client.post(VERIFY, {"code": _code(device), "next": "/operateur/facturation/tarifs/"})
    assert done.status_code == 302 and done["Location"] == "/operateur/facturation/tarifs/"
    assert client.get("/operateur/facturation/tarifs/").status_code == 200


def test_a_manager_without_a_device_enrols_and_gets_recovery_codes_that_work_once(no_throttle):
    manager = _user(manager=True)
    client = _password_login(manager)
    first = client.get("/operateur/membres/")
    assert first["Location"].startswith(ENROL)
    page = client.get(ENROL).content.decode()
    assert "<svg" in page and "Activer" in page
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    assert client.post(ENROL, {"code": "123456"}).status_code == 200
    assert client.get("/operateur/membres/").status_code == 302  # still not verified
    codes_page = client.post(ENROL, {"code": _code(device)}).content.decode()
    assert "Codes de secours" in codes_page
    assert client.get("/operateur/membres/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    recovery = manager.staticdevice_set.get().token_set.first().token
    again = _password_login(manager)
    assert again.post(VERIFY, {"code": recovery}).status_code == 302
    assert again.get("/operateur/membres/").status_code == 200
    third = _password_login(manager)
    assert "Code incorrect" in third.post(VERIFY, {"code": recovery}).content.decode()


def test_the_password_alone_cannot_replace_an_enrolled_application():
    administrator = _user(administrator=True)
    _enrolled(administrator)
    client = _password_login(administrator)
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=administrator).count() == 1


def test_roles_without_titres_or_rights_and_agents_are_not_asked_but_may_opt_in():
    reader = _user(read_only=True)
    assert _password_login(reader).get("/operateur/membres/").status_code == 200
    agent = _user()
    AgentAccessFactory(user=agent)
    client = _password_login(agent)
    assert client.get("/mon-espace/", follow=True).status_code == 200
    # The agent opts in: from then on, the code is asked at each login.
    page = client.get(ENROL)
    assert "Facultative" in page.content.decode()
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    client.post(ENROL, {"code": _code(device)})
    later = _password_login(agent)
    assert later.get("/mon-espace/")["Location"].startswith(VERIFY)


def test_an_api_token_needs_the_code_from_staff_who_need_a_second_factor():
    accountant = _user(accountant=True)
    device = _enrolled(accountant)
    api = APIClient()
    refused = api.post("/api/v1/token/", {"username": accountant.username, "password": PASSWORD})
    assert refused.status_code == 400 and "otp" in refused.json()
    granted = api.post(
        "/api/v1/token/",
        {"username": accountant.username, "password": PASSWORD, "otp": _code(device)},
    )
    assert granted.status_code == 200
    token = granted.json()["token"]
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/members/").status_code == 200
    technician = _user(operator_role="technician")
    plain = api.post("/api/v1/token/", {"username": technician.username, "password": PASSWORD})
    assert plain.status_code == 200


def test_wrong_codes_slow_the_next_tries_down():
    accountant = _user(accountant=True)
    device = _enrolled(accountant)
    client = _password_login(accountant)
    client.post(VERIFY, {"code": "000000"})
    refused = client.post(VERIFY, {"code": _code(device)})
    assert "Code incorrect" in refused.content.decode()  # throttled for a moment
