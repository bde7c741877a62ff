"""ProConnect login end to end, against a real OpenID provider (tests/provider.py).

Django's test client is the browser on our side, `requests` on the provider's: the
authorization request, the provider's login form, the return with the code, the token and
userinfo calls (real HTTP, signed JWTs), and the logout at the provider.
"""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutualis.core.roles import OperatorRole
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory
from mutualis.proconnect import config
from mutualis.proconnect.models import AccessRequest, AccessRequestStatus, ProConnectIdentity
from mutualis.proconnect.tests import provider as op

pytestmark = pytest.mark.django_db

SIREN_A = "213300001"
ACCOUNTS = {
    "agent": {
        "email": "secretariat@mairie-a.fr",
        "given_name": "Lucie",
        "usual_name": "Martin",
        "siret": f"{SIREN_A}00017",
        "idp_id": "fia1v2",
        "uid": "1",
    },
    "newcomer": {
        "email": "nouvel.agent@mairie-a.fr",
        "given_name": "Paul",
        "usual_name": "Durand",
        "siret": f"{SIREN_A}00025",
        "idp_id": "fia1v2",
    },
    "outsider": {
        "email": "agent@prefecture.gouv.fr",
        "given_name": "Anne",
        "usual_name": "Petit",
        "siret": "11000101300017",
    },
    "accountant": {
        "email": "comptable@opsn.fr",
        "given_name": "Claire",
        "usual_name": "Comptable",
        "siret": "20006734800019",
        "amr": ["pwd"],
    },
    "accountant_mfa": {
        "email": "comptable2@opsn.fr",
        "given_name": "Claude",
        "usual_name": "Comptable",
        "siret": "20006734800019",
        "amr": ["pwd", "mfa"],
    },
}


@pytest.fixture(scope="module")
def providers():
    op.require_node()
    port = op.free_port()
    real = op.Provider(f"http://127.0.0.1:{port}", port, ACCOUNTS).start()
    # Same issuer, other keys: what an attacker who is not ProConnect would sign with.
    forger = op.Provider(real.issuer, op.free_port(), ACCOUNTS)
    try:
        forger.start()
        yield real, forger
    finally:
        real.stop()
        forger.stop()


@pytest.fixture
def provider(providers, settings):
    settings.PROCONNECT_ISSUER = providers[0].issuer
    settings.PROCONNECT_CLIENT_ID = op.CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = op.CLIENT_SECRET
    config.forget_discovery()
    yield providers[0]
    config.forget_discovery()


@pytest.fixture
def member_a():
    member = MemberFactory(name="Commune Alpha")
    member.siren = SIREN_A
    member.save()
    return member


def start(client: Client, next_url: str = "") -> str:
    response = client.get("/connexion/proconnect/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return response["Location"]


def login(client: Client, provider, account: str):
    callback = provider.sign_in(start(client), account)
    return client.get(callback.removeprefix("http://testserver"))


def logged_in_user(client: Client):
    return client.session.get("_auth_user_id")


def test_an_agent_of_a_member_signs_in_with_the_code_flow_pkce_state_and_nonce(provider, member_a):
    agent = UserFactory(email="Secretariat@mairie-a.fr")
    AgentAccessFactory(user=agent, member=member_a)
    client = Client()

    authorize = start(client)
    params = op.query(authorize)
    assert authorize.startswith(f"{provider.issuer}/auth?")
    assert params["response_type"] == "code" and params["client_id"] == op.CLIENT_ID
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert set(params["scope"].split()) >= {"openid", "email", "siret", "usual_name", "idp_id"}
    assert params["redirect_uri"] == op.CALLBACK

    response = client.get(provider.sign_in(authorize, "agent").removeprefix("http://testserver"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user(client) == str(agent.pk)
    identity = ProConnectIdentity.objects.get(user=agent)
    assert identity.sub == "agent" and identity.siret == f"{SIREN_A}00017"
    assert identity.idp_id == "fia1v2"
    assert client.get("/mon-espace/", follow=True).status_code == 200

    # The next time, the identity is known: logged in by its sub even with another address.
    again = Client()
    assert login(again, provider, "agent").status_code == 302
    assert logged_in_user(again) == str(agent.pk)


def test_logout_ends_the_session_at_the_provider_too(provider, member_a):
    AgentAccessFactory(user=UserFactory(email="secretariat@mairie-a.fr"), member=member_a)
    client = Client()
    login(client, provider, "agent")
    id_token = client.session["oidc_id_token"]

    response = client.post("/deconnexion/")
    assert logged_in_user(client) is None
    end_session = response["Location"]
    assert end_session.startswith(f"{provider.issuer}/session/end?")
    params = op.query(end_session)
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == op.AFTER_LOGOUT and len(params["state"]) >= 32
    back = provider.end_session(end_session)
    assert back == f"{op.AFTER_LOGOUT}?state={params['state']}"


def test_a_password_session_logs_out_without_the_provider(provider):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.post("/deconnexion/")
    assert response.status_code == 302 and response["Location"] == "/connexion/"


def test_a_callback_with_another_state_is_refused(provider, member_a):
    AgentAccessFactory(user=UserFactory(email="secretariat@mairie-a.fr"), member=member_a)
    client = Client()
    callback = provider.sign_in(start(client), "agent")
    params = op.query(callback)
    response = client.get(
        "/connexion/proconnect/retour/", {"code": params["code"], "state": "x" * 32}
    )
    assert response.status_code == 400
    assert "Connexion refusée" in response.content.decode()
    assert logged_in_user(client) is None


def test_an_id_token_for_another_nonce_is_refused(provider, member_a):
    """The code was issued for the nonce of another login (a replayed response)."""
    AgentAccessFactory(user=UserFactory(email="secretariat@mairie-a.fr"), member=member_a)
    client = Client()
    callback = provider.sign_in(start(client), "agent")
    session = client.session
    state = op.query(callback)["state"]
    session["oidc_states"][state]["nonce"] = "n" * 32
    session.save()
    response = client.get(callback.removeprefix("http://testserver"))
    assert response.status_code == 400
    assert logged_in_user(client) is None
    assert not ProConnectIdentity.objects.exists()


def test_tokens_signed_with_keys_the_provider_does_not_publish_are_refused(
    providers, provider, member_a
):
    """The forger answers as the same issuer with its own keys: our client reads the keys
    from the real provider's JWKS, and the signature does not verify."""
    AgentAccessFactory(user=UserFactory(email="secretariat@mairie-a.fr"), member=member_a)
    forger = providers[1]
    document = dict(config.discovery())
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint"):
        document[endpoint] = document[endpoint].replace(provider.url, forger.url)
    config._cache[f"{provider.issuer}/.well-known/openid-configuration"] = (
        config.time.monotonic(),
        document,
    )
    client = Client()
    response = client.get(forger.sign_in(start(client), "agent").removeprefix("http://testserver"))
    assert response.status_code == 400
    assert logged_in_user(client) is None
    assert not ProConnectIdentity.objects.exists()


def test_an_unknown_agent_of_a_member_asks_for_access_and_the_operator_grants_it(
    provider, member_a, django_capture_on_commit_callbacks
):
    manager = UserFactory(manager=True, email="responsable@opsn.fr")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, provider, "newcomer")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Demande d'accès transmise" in page.content.decode()
    assert logged_in_user(client) is None
    request = AccessRequest.objects.get()
    assert (request.member, request.status) == (member_a, AccessRequestStatus.PENDING)
    assert (request.given_name, request.usual_name) == ("Paul", "Durand")
    assert [m.to for m in mail.outbox] == [["responsable@opsn.fr"]]
    assert f"/operateur/acces-proconnect/{request.pk}/" in mail.outbox[0].body

    # Signing in again while it waits makes no second request.
    login(Client(), provider, "newcomer")
    assert AccessRequest.objects.count() == 1

    operator = Client()
    operator.force_login(manager)
    assert "Paul Durand" in operator.get("/operateur/acces-proconnect/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        decided = operator.post(
            f"/operateur/acces-proconnect/{request.pk}/", {"decision": "approve"}
        )
    assert decided.status_code == 302
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.APPROVED and request.decided_by == manager
    assert request.user.agent_accesses.get().member == member_a
    assert mail.outbox[-1].to == ["nouvel.agent@mairie-a.fr"]

    agent = Client()
    assert login(agent, provider, "newcomer")["Location"] == "/"
    assert logged_in_user(agent) == str(request.user.pk)


def test_a_refused_agent_is_told_so(provider, member_a):
    login(Client(), provider, "newcomer")
    request = AccessRequest.objects.get()
    manager = UserFactory(manager=True)
    from mutualis.proconnect import services

    services.refuse(request, manager)
    client = Client()
    page = client.get(login(client, provider, "newcomer")["Location"])
    assert page.status_code == 403 and "Accès refusé" in page.content.decode()
    assert logged_in_user(client) is None


def test_an_organisation_that_is_no_member_is_refused_with_a_french_page(provider, member_a):
    client = Client()
    response = login(client, provider, "outsider")
    page = client.get(response["Location"])
    assert page.status_code == 403
    text = page.content.decode()
    assert "Organisation inconnue" in text and "11000101300017" in text
    assert logged_in_user(client) is None and not AccessRequest.objects.exists()


def test_staff_link_their_account_and_still_give_their_second_factor(provider):
    accountant = UserFactory(accountant=True, email="comptable@opsn.fr")
    TOTPDevice.objects.create(user=accountant, name="app", confirmed=True)
    # Not linked yet: refused, with the way to link.
    client = Client()
    page = client.get(login(client, provider, "accountant")["Location"])
    assert page.status_code == 403 and "Compte du personnel non lié" in page.content.decode()

    # Logged in with the password and the code (the suite's force_login gives both), the
    # accountant links the account from their page.
    client.force_login(accountant)
    assert "Lier mon compte à ProConnect" in client.get("/compte/proconnect/").content.decode()
    authorize = client.get("/compte/proconnect/lier/")
    assert authorize["Location"] == "/connexion/proconnect/"
    response = client.get(
        provider.sign_in(start(client), "accountant").removeprefix("http://testserver")
    )
    assert response["Location"] == "/compte/proconnect/"
    assert ProConnectIdentity.objects.get(sub="accountant").user == accountant

    # A ProConnect login without "mfa" in amr is a first factor: the code is still asked.
    fresh = Client()
    login(fresh, provider, "accountant")
    assert logged_in_user(fresh) == str(accountant.pk)
    blocked = fresh.get("/operateur/facturation/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/connexion/double-authentification/")


def test_a_provider_login_with_mfa_counts_as_the_second_factor(provider):
    accountant = UserFactory(operator_role=OperatorRole.ACCOUNTANT, email="comptable2@opsn.fr")
    ProConnectIdentity.objects.create(user=accountant, sub="accountant_mfa")
    client = Client()
    login(client, provider, "accountant_mfa")
    assert client.get("/operateur/facturation/").status_code == 200


def test_without_configuration_there_is_no_button_and_no_route(db, settings):
    settings.PROCONNECT_ISSUER = ""
    assert "ProConnect" not in Client().get("/connexion/").content.decode()
    assert Client().get("/connexion/proconnect/").status_code == 404


def test_the_login_page_shows_the_button_when_configured(provider):
    page = Client().get("/connexion/").content.decode()
    assert "S’identifier avec ProConnect" in page and 'href="/connexion/proconnect/"' in page
    assert "mot de passe" in page.lower()  # the password login stays


def test_refused_logins_do_not_lock_the_address_out(provider, member_a, settings):
    """An organisation refused six times from one address (a town hall's NAT) does not block
    the next agent: ProConnect refusals are not password failures (django-axes)."""
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(3):
        login(Client(), provider, "outsider")
    AgentAccessFactory(user=UserFactory(email="secretariat@mairie-a.fr"), member=member_a)
    client = Client()
    login(client, provider, "agent")
    assert logged_in_user(client) is not None


class _UserinfoInTransit(BaseHTTPRequestHandler):
    """Between us and the provider's userinfo: changes the answer as `mode` says."""

    mode = "tamper"
    upstream = ""

    def do_GET(self):
        answer = requests.get(
            self.upstream, headers={"Authorization": self.headers["Authorization"]}, timeout=10
        )
        header, payload, signature = answer.text.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        if self.mode == "tamper":  # another organisation's SIRET, the signature kept
            claims["siret"] = "11000101300017"
            forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            body, kind = f"{header}.{forged}.{signature}", "application/jwt"
        else:  # the same claims, unsigned
            body, kind = json.dumps(claims), "application/json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def userinfo_in_transit(provider):
    document = dict(config.discovery())
    _UserinfoInTransit.upstream = document["userinfo_endpoint"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _UserinfoInTransit)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    document["userinfo_endpoint"] = f"http://127.0.0.1:{server.server_address[1]}/userinfo"
    config._cache[f"{provider.issuer}/.well-known/openid-configuration"] = (
        config.time.monotonic(),
        document,
    )
    yield _UserinfoInTransit
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("mode", ["tamper", "json"])
def test_a_userinfo_changed_in_transit_or_unsigned_is_refused(
    provider, member_a, userinfo_in_transit, mode
):
    AgentAccessFactory(user=UserFactory(email="secretariat@mairie-a.fr"), member=member_a)
    userinfo_in_transit.mode = mode
    client = Client()
    response = login(client, provider, "agent")
    assert response.status_code == 400
    assert logged_in_user(client) is None and not ProConnectIdentity.objects.exists()


def test_the_logout_form_may_redirect_to_the_provider(provider):
    """Browsers check a form's redirects against the CSP's form-action: the logout form is
    allowed to end at ProConnect."""
    policy = Client().get("/connexion/")["Content-Security-Policy"]
    assert f"form-action 'self' {provider.issuer};" in policy


def test_an_agent_who_moved_to_another_organisation_no_longer_gets_in(provider, member_a):
    """The same ProConnect identity, now with another organisation's SIRET."""
    agent = UserFactory(email="secretariat@mairie-a.fr")
    AgentAccessFactory(user=agent, member=member_a)
    ProConnectIdentity.objects.create(user=agent, sub="outsider")  # the outsider's account
    client = Client()
    page = client.get(login(client, provider, "outsider")["Location"])
    assert page.status_code == 403 and "Organisation inconnue" in page.content.decode()
    assert logged_in_user(client) is None


def test_the_demo_has_one_agent_waiting_and_loads_again_without_duplicates(member_a):
    from mutualis.proconnect.demo import load_demo

    AgentAccessFactory(user=UserFactory(username="mairie"), member=member_a)
    assert load_demo() == {"demandes d'accès ProConnect": 1}
    assert load_demo() == {"demandes d'accès ProConnect": 1}
    assert AccessRequest.objects.get().siret.startswith(SIREN_A)


def test_a_login_below_the_level_asked_is_refused(provider, member_a, settings):
    """With PROCONNECT_ACR_VALUES set, the ID token must say that level (the provider's
    `acr`): the provider here signs in at eidas1."""
    agent = UserFactory(email="secretariat@mairie-a.fr")
    AgentAccessFactory(user=agent, member=member_a)
    settings.PROCONNECT_ACR_VALUES = "eidas2 eidas3"
    client = Client()
    assert op.query(start(client))["acr_values"] == "eidas2 eidas3"
    refused = login(client, provider, "agent")
    assert refused.status_code == 400 and "Connexion refusée" in refused.content.decode()
    assert logged_in_user(client) is None

    settings.PROCONNECT_ACR_VALUES = "eidas1"
    accepted = Client()
    assert login(accepted, provider, "agent").status_code == 302
    assert logged_in_user(accepted) == str(agent.pk)


def test_an_account_unlinks_itself_from_proconnect_and_only_itself(provider, member_a):
    agent = UserFactory(email="secretariat@mairie-a.fr")
    AgentAccessFactory(user=agent, member=member_a)
    other = UserFactory(email="autre@mairie-a.fr")
    ProConnectIdentity.objects.create(user=other, sub="someone-else")
    client = Client()
    login(client, provider, "agent")
    page = client.get("/compte/proconnect/").content.decode()
    assert "Délier mon compte de ProConnect" in page

    assert client.get("/compte/proconnect/delier/").status_code == 405
    response = client.post("/compte/proconnect/delier/")
    assert response.status_code == 302 and response["Location"] == "/compte/proconnect/"
    assert not ProConnectIdentity.objects.filter(user=agent).exists()
    assert ProConnectIdentity.objects.filter(user=other).exists()
    assert "Lier mon compte à ProConnect" in client.get("/compte/proconnect/").content.decode()
    assert Client().post("/compte/proconnect/delier/").status_code in (302, 403)


def test_an_account_without_a_password_keeps_its_link(provider, member_a):
    agent = UserFactory(email="secretariat@mairie-a.fr")
    agent.set_unusable_password()
    agent.save()
    AgentAccessFactory(user=agent, member=member_a)
    client = Client()
    login(client, provider, "agent")
    page = client.post("/compte/proconnect/delier/", follow=True).content.decode()
    assert "avant de délier ProConnect" in page
    assert ProConnectIdentity.objects.filter(user=agent).exists()
