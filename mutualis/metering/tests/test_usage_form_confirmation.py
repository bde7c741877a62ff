"""« Saisir un relevé »: a reading ten times the previous one, or under a tenth of it, is
recorded only once the person confirms it."""

from decimal import Decimal

import pytest

from mutualis.metering.models import UsageRecord
from mutualis.metering.tests.factories import UsageRecordFactory

URL = "/operateur/consommations/saisir/"
CONFIRM_BOX = 'name="confirm_quantity"'


@pytest.fixture
def april(usage_world):
    """March was 12,5; the form is about to record April."""
    UsageRecordFactory(
        member=usage_world["member"],
        service=usage_world["backup"],
        year=2026,
        month=3,
        quantity=Decimal("12.500"),
    )
    return {
        "member": usage_world["member"].pk,
        "service": usage_world["backup"].pk,
        "period": "month",
        "year": "2026",
        "month": "4",
        "note": "",
    }


def _april_quantity():
    return UsageRecord.objects.filter(month=4).values_list("quantity", flat=True).first()


def test_the_box_is_not_shown_before_a_reading_looks_wrong(client, accountant, usage_world):
    client.force_login(accountant)
    assert CONFIRM_BOX not in client.get(URL).content.decode()


def test_ten_times_the_previous_reading_is_shown_again_with_a_warning(client, accountant, april):
    client.force_login(accountant)
    response = client.post(URL, {**april, "quantity": "1 250"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Le relevé précédent était de 12,5 ; confirmez-vous 1\u00a0250 ?" in page
    assert "Je confirme cette quantité" in page
    assert CONFIRM_BOX in page
    assert 'value="1 250"' in page  # what was typed is kept
    # At the top of the page, the confirmation is one button away (the form may be long).
    assert 'form="usage-form" name="confirm_quantity" value="on"' in page
    assert _april_quantity() is None


def test_the_confirmed_reading_is_recorded(client, accountant, april):
    client.force_login(accountant)
    response = client.post(URL, {**april, "quantity": "1 250", "confirm_quantity": "on"})
    assert response.status_code == 302
    assert _april_quantity() == Decimal(1250)


def test_under_a_tenth_of_the_previous_reading_asks_too(client, accountant, april):
    client.force_login(accountant)
    page = client.post(URL, {**april, "quantity": "1,2"}).content.decode()
    assert "Le relevé précédent était de 12,5 ; confirmez-vous 1,2 ?" in page
    assert _april_quantity() is None


@pytest.mark.parametrize("typed", ["12,5", "124,9", "1,26"])  # just under ten times: usual
def test_a_usual_reading_is_recorded_without_a_question(client, accountant, april, typed):
    client.force_login(accountant)
    assert client.post(URL, {**april, "quantity": typed}).status_code == 302
    assert _april_quantity() is not None


def test_a_first_reading_has_nothing_to_compare_with(client, accountant, usage_world):
    client.force_login(accountant)
    data = {
        "member": usage_world["member"].pk,
        "service": usage_world["backup"].pk,
        "period": "month",
        "year": "2026",
        "month": "4",
        "quantity": "1 000 000",
    }
    assert client.post(URL, data).status_code == 302
