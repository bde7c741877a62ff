"""The login page says « Identifiant ou adresse électronique »: both work."""

import pytest

from mutualis.core.tests.factories import UserFactory


@pytest.mark.parametrize("typed", ["lecture", "lecture@demo.example", " Lecture@Demo.example "])
def test_staff_log_in_with_their_identifier_or_their_address(client, db, typed):
    user = UserFactory(username="lecture", email="lecture@demo.example", read_only=True)
    user.set_password("un mot de passe sûr 42")
    user.save()
    response = client.post("/connexion/", {"username": typed, "password": "un mot de passe sûr 42"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_address_shared_by_two_accounts_logs_nobody_in(client, db):
    for name in ("un", "deux"):
        user = UserFactory(username=name, email="partage@demo.example")
        user.set_password("un mot de passe sûr 42")
        user.save()
    response = client.post(
        "/connexion/", {"username": "partage@demo.example", "password": "un mot de passe sûr 42"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
