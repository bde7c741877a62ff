"""The operator gives a member's agent access; a new agent chooses a password by email."""

import re

import pytest
from django.core import mail
from django.test import Client

from mutualis.core.tests.factories import UserFactory
from mutualis.members.models import AgentAccess
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_a_new_agent_receives_a_link_and_sees_only_its_member(
    client, django_capture_on_commit_callbacks
):
    member, other = MemberFactory(), MemberFactory()
    client.force_login(UserFactory(manager=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/operateur/membres/{member.pk}/agents/",
            {"first_name": "Sophie", "last_name": "Martin", "email": "S.Martin@Mairie.fr"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert member.name in mail.outbox[0].subject
    link = re.search(r"http://testserver(/connexion/mot-de-passe/\S+/)", mail.outbox[0].body)
    agent = Client()
    form_url = agent.get(link.group(1), follow=True).redirect_chain[-1][0]
    agent.post(form_url, {"new_password1": "Gironde-2026!x", "new_password2": "Gironde-2026!x"})
    assert (
        agent.post(
            "/connexion/", {"username": "s.martin@mairie.fr", "password": "Gironde-2026!x"}
        ).status_code
        == 302
    )
    assert agent.get(f"/mon-espace/{member.pk}/").status_code == 200
    assert agent.get(f"/mon-espace/{other.pk}/").status_code == 404


def test_an_existing_account_gets_access_without_a_new_account(client):
    existing = AgentAccessFactory()
    member = MemberFactory()
    client.force_login(UserFactory(manager=True))
    client.post(
        f"/operateur/membres/{member.pk}/agents/",
        {"first_name": "x", "last_name": "y", "email": existing.user.email},
    )
    assert set(AgentAccess.objects.filter(user=existing.user).values_list("member", flat=True)) == {
        existing.member_id,
        member.pk,
    }
    assert not mail.outbox


def test_revoking_access_closes_the_portal(client):
    access = AgentAccessFactory()
    client.force_login(UserFactory(manager=True))
    client.post(f"/operateur/acces/{access.pk}/retrait/")
    agent = Client()
    agent.force_login(access.user)
    assert agent.get(f"/mon-espace/{access.member_id}/").status_code == 404
