"""Recording a membership: the délibération is a PDF, a tripartite convention names the
member's own EPCI."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import CommuneFactory, EpciMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _post(client, member, **extra):
    data = {
        "start_date": "2026-01-01",
        "part": "full",
        "decision_body": "Conseil municipal",
        "decision_number": "2025-12",
        "decision_date": "2025-12-10",
        **extra,
    }
    return client.post(f"/operateur/membres/{member.pk}/adhesion/", data)


@pytest.fixture
def commune_in_epci():
    epci = EpciMemberFactory()
    return MemberFactory(commune=CommuneFactory(epci=epci.territory_epci)), epci


def test_a_tripartite_convention_names_the_communes_own_epci(client, commune_in_epci):
    commune, epci = commune_in_epci
    other_epci = EpciMemberFactory()
    client.force_login(UserFactory(manager=True))
    refused = _post(
        client, commune, agreement_reference="CONV-1", agreement_third_party=other_epci.pk
    )
    assert refused.status_code == 200
    assert not commune.memberships.exists()
    accepted = _post(client, commune, agreement_reference="CONV-1", agreement_third_party=epci.pk)
    assert accepted.status_code == 302
    assert commune.memberships.get().agreement.third_party == epci


def test_the_deliberation_must_be_a_pdf(client, commune_in_epci):
    commune, _ = commune_in_epci
    client.force_login(UserFactory(manager=True))
    fake = SimpleUploadedFile("deliberation.pdf", b"<html>not a pdf</html>")
    response = _post(client, commune, decision_document=fake)
    assert "pas un PDF" in response.content.decode()
    assert not commune.memberships.exists()
    real = SimpleUploadedFile("deliberation.pdf", b"%PDF-1.4\n...")
    assert _post(client, commune, decision_document=real).status_code == 302
    download = client.get(
        f"/operateur/deliberations/{commune.memberships.get().decision_id}/document/"
    )
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].endswith('.pdf"')


def test_read_only_staff_see_no_action_buttons(client, commune_in_epci):
    commune, _ = commune_in_epci
    client.force_login(UserFactory(read_only=True))
    page = client.get(f"/operateur/membres/{commune.pk}/").content.decode()
    assert "Enregistrer une adhésion" not in page
    assert "Donner accès à un agent" not in page
    client.force_login(UserFactory(manager=True))
    assert (
        "Enregistrer une adhésion"
        in client.get(f"/operateur/membres/{commune.pk}/").content.decode()
    )


def test_codes_are_read_as_people_type_them(client):
    from mutualis.members.tests.factories import CommuneFactory

    commune = CommuneFactory(insee_code="33005")
    client.force_login(UserFactory(manager=True))
    response = client.post("/operateur/membres/ajouter/", {"code": "33 005"})
    assert response.status_code == 302
    assert commune.member.insee_code == "33005"
