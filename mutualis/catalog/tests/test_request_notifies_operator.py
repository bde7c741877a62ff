"""A new request is announced to those who decide requests: an e-mail, and the count of
waiting requests in their menu."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from mutualis.catalog.services import service_request_create
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory

pytestmark = pytest.mark.django_db


def test_the_deciders_get_an_email_and_a_count_in_their_menu(
    django_capture_on_commit_callbacks, client
):
    manager = UserFactory(manager=True, email="resp@operateur.example.fr")
    UserFactory(read_only=True, email="elu@operateur.example.fr")  # does not decide
    access = AgentAccessFactory()
    service = ServiceFactory(name="Messagerie")
    with django_capture_on_commit_callbacks(execute=True):
        service_request_create(
            member=access.member,
            service=service,
            requested_by=access.user,
            desired_start_date=timezone.localdate() + dt.timedelta(days=30),
            message="Pour la rentrée.",
        )
    assert [m.to for m in mail.outbox] == [["resp@operateur.example.fr"]]
    assert access.member.name in mail.outbox[0].subject
    assert "Pour la rentrée." in mail.outbox[0].body
    client.force_login(manager)
    assert "Demandes (1 en attente)" in client.get("/operateur/demandes/").content.decode()
    client.force_login(UserFactory(read_only=True))
    assert "1 en attente" not in client.get("/operateur/demandes/").content.decode()
