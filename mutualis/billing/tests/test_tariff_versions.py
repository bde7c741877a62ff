"""Tariffs are validated by the engine, versioned, and adopted by a délibération."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mutualis.billing.models import TariffStatus
from mutualis.billing.services import tariffs
from mutualis.billing.tests.conftest import ENT
from mutualis.catalog.tests.factories import ServiceFactory


@pytest.fixture
def ent(db):
    return ServiceFactory(code="ent")


def test_an_invalid_tariff_is_refused_with_the_faulty_key(ent):
    with pytest.raises(ValidationError) as error:
        tariffs.tariff_create(service=ent, year=2026, text=ENT.replace("cost = ", "cout = "))
    message = " ".join(error.value.message_dict["text"])
    assert "ent-2026-v1" in message
    assert "cost_sharing" in message


def test_the_text_must_be_for_the_service_and_year(ent):
    with pytest.raises(ValidationError) as error:
        tariffs.tariff_create(service=ent, year=2027, text=ENT)
    assert "year" in " ".join(error.value.message_dict["text"])


def test_versions_and_adoption_keep_history(ent):
    first = tariffs.tariff_create(service=ent, year=2026, text=ENT)
    adopted = tariffs.tariff_adopt_by_vote(
        tariff=first, body="Comité syndical", number="2025-12", date=dt.date(2025, 12, 10)
    )
    assert adopted.status == TariffStatus.ADOPTED
    assert adopted.decision.member is None
    with pytest.raises(ValidationError):
        tariffs.tariff_update(tariff=adopted, text=ENT.replace("12000", "13000"))
    second = tariffs.tariff_new_version(tariff=adopted)
    assert (second.version, second.status) == (2, TariffStatus.DRAFT)
    tariffs.tariff_update(tariff=second, text=ENT.replace("12000", "13000"))
    tariffs.tariff_adopt_by_vote(
        tariff=second, body="Comité syndical", number="2026-03", date=dt.date(2026, 3, 1)
    )
    first.refresh_from_db()
    assert first.status == TariffStatus.SUPERSEDED
    assert "12000" in first.text


def test_the_edit_page_shows_the_engine_error(client, ent):
    from mutualis.core.tests.factories import UserFactory

    client.force_login(UserFactory(accountant=True))
    response = client.post(
        "/operateur/facturation/tarifs/nouveau/",
        {"service": ent.pk, "year": 2026, "text": ENT.replace("share = 0.40", "share = 'x'")},
    )
    assert response.status_code == 200
    assert "cost_sharing.subsidies[1].share" in response.content.decode()


def test_tariffs_are_loaded_from_toml_files(ent):
    tariff = tariffs.tariff_import_text(text=ENT, source="ent-2026.toml")
    assert (tariff.service, tariff.year, tariff.version) == (ent, 2026, 1)
