"""RGAA / WCAG 2.1 AA: axe-core over the login page with ProConnect's button, the page an
unknown agent lands on (reached through the real provider in Chromium), the account page and
the operator's access requests."""

import pytest

from mutualis.core.roles import OperatorRole
from mutualis.core.tests.browser import check_accessibility, login
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import MemberFactory
from mutualis.proconnect import config
from mutualis.proconnect.models import AccessRequest
from mutualis.proconnect.tests import provider as op

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide"
ACCOUNTS = {
    "newcomer": {
        "email": "nouvel.agent@mairie-a.fr",
        "given_name": "Paul",
        "usual_name": "Durand",
        "siret": "21330000100025",
    }
}


@pytest.fixture
def browser_provider(live_server, settings):
    op.require_node()
    callback = f"{live_server.url}/connexion/proconnect/retour/"
    port = op.free_port()
    provider = op.Provider(f"http://127.0.0.1:{port}", port, ACCOUNTS)
    provider.redirect_uris = [callback]
    provider.start()
    settings.PROCONNECT_ISSUER = provider.issuer
    settings.PROCONNECT_CLIENT_ID = op.CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = op.CLIENT_SECRET
    config.forget_discovery()
    yield provider
    provider.stop()
    config.forget_discovery()


def test_proconnect_pages(new_context, browser_provider, tmp_path):
    member = MemberFactory(name="Commune Alpha")
    member.siren = "213300001"
    member.save()
    page = new_context().new_page()
    check_accessibility(page, "/connexion/")
    page.screenshot(path=str(tmp_path / "login.png"), full_page=True)  # to look at

    # An unknown agent of the member: the button, the provider's form, the request sent.
    page.click("text=S’identifier avec")
    page.fill("input[name=login]", "newcomer")
    with page.expect_navigation(url="**/connexion/proconnect/resultat/"):
        page.click("button")
    assert "Demande d'accès transmise" in page.content()
    check_accessibility(page, "/connexion/proconnect/resultat/")
    request = AccessRequest.objects.get()

    manager = UserFactory(username="resp", operator_role=OperatorRole.MANAGER)
    staff = new_context().new_page()
    login(staff, manager.username, PASSWORD)
    for url in [
        "/operateur/acces-proconnect/",
        f"/operateur/acces-proconnect/{request.pk}/",
        "/compte/proconnect/",
    ]:
        check_accessibility(staff, url)
