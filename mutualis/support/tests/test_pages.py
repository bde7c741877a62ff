"""The support pages: the operator's table of every member, a member's own figures in « Mon
espace » (never another's), the GLPI connection whose tokens are never shown back, and an
entity tied to a member by the operator."""

import datetime as dt

import pytest
from django.utils import timezone

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory
from mutualis.support.models import SupportEntity, Ticket, TicketStatus, glpi_connection
from mutualis.support.tests.tenancy import make_entity, make_ticket

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def opened(month: int, day: int = 10):
    return timezone.make_aware(dt.datetime(YEAR - 1, month, day, 9))


@pytest.fixture
def members():
    begles, talence = MemberFactory(name="Bègles"), MemberFactory(name="Talence")
    for n in range(4):  # resolved in 2, 4, 6, 8 hours
        ticket = make_ticket(begles, external_id=f"b{n}", opened_at=opened(3 + n))
        Ticket.objects.filter(pk=ticket.pk).update(resolution_seconds=(n + 1) * 2 * 3600)
    make_ticket(talence, external_id="t1", title="Imprimante de l'école", opened_at=opened(5))
    orphan = SupportEntity.objects.create(name="Syndicat > Eaux du Médoc")
    make_ticket(None, external_id="o1", entity=orphan, opened_at=opened(6))
    return begles, talence


def test_the_operator_sees_every_member_and_the_unmapped_tickets(client, members):
    client.force_login(UserFactory(operator_role="read_only"))
    page = client.get("/operateur/assistance/", {"annee": YEAR - 1})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bègles" in text and "Talence" in text
    assert "1 demande n'est rattachée à aucun membre" in text
    assert "Syndicat &gt; Eaux du Médoc" in text
    assert "5 h" in text  # Bègles: median of 2, 4, 6, 8 hours
    assert "Synchroniser maintenant" not in text  # read only


def test_a_member_agent_sees_its_own_figures_only(client, members):
    begles, talence = members
    agent = AgentAccessFactory(member=begles).user
    client.force_login(agent)
    page = client.get(f"/mon-espace/{begles.pk}/assistance/", {"annee": YEAR - 1})
    text = page.content.decode()
    assert page.status_code == 200
    assert "délai médian" in text and "5 h" in text
    assert "Imprimante de l'école" not in text
    assert client.get(f"/mon-espace/{talence.pk}/assistance/").status_code == 404


def test_tokens_are_kept_and_never_shown_back(client, members):
    client.force_login(UserFactory(manager=True))
    response = client.post(
        "/operateur/assistance/connexion/",
        {
            "url": "https://glpi.example.fr/apirest.php",
            "app_token": "app-secret-1",
            "user_token": "user-secret-2",
        },
    )
    assert response.status_code == 302
    page = client.get("/operateur/assistance/connexion/").content.decode()
    assert "app-secret-1" not in page and "user-secret-2" not in page
    assert "Un jeton est enregistré" in page
    client.post("/operateur/assistance/connexion/", {"url": "https://glpi.example.fr/apirest.php"})
    connection = glpi_connection()
    assert (connection.app_token, connection.user_token) == ("app-secret-1", "user-secret-2")


def test_tying_an_entity_brings_its_tickets(client, members):
    begles, _talence = members
    client.force_login(UserFactory(manager=True))
    medoc = MemberFactory(name="Syndicat des eaux du Médoc")
    entity = SupportEntity.objects.get(name="Syndicat > Eaux du Médoc")
    response = client.post(f"/operateur/assistance/entites/{entity.pk}/", {"member": medoc.pk})
    assert response.status_code == 302
    assert Ticket.objects.get(external_id="o1").member == medoc
    assert make_entity(begles).tickets.filter(status=TicketStatus.SOLVED).count() == 4


def test_the_operators_table_follows_new_tickets_and_entities_tied_to_members(client, members):
    """The table is kept between views, but a new ticket or an entity tied to a member shows
    at the next view."""
    from mutualis.support.services import entity_map

    begles, _talence = members
    client.force_login(UserFactory(operator_role="read_only"))
    assert "Mérignac" not in client.get("/operateur/assistance/", {"annee": YEAR - 1}).text
    merignac = MemberFactory(name="Mérignac")
    make_ticket(merignac, external_id="m1", opened_at=opened(7))
    assert "Mérignac" in client.get("/operateur/assistance/", {"annee": YEAR - 1}).text
    orphan = SupportEntity.objects.get(name="Syndicat > Eaux du Médoc")
    before = client.get("/operateur/assistance/", {"annee": YEAR - 1}).text
    assert "1 demande n'est rattachée à aucun membre" in before
    entity_map(entity=orphan, member=begles)
    after = client.get("/operateur/assistance/", {"annee": YEAR - 1}).text
    assert "rattachée à aucun membre" not in after
    begles_row = after.split(f'{begles.pk}/?annee={YEAR - 1}">Bègles</a></th>', 1)[1]
    assert begles_row.startswith('<td class="num">5</td>')  # its 4 tickets and the entity's
