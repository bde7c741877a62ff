"""« Saisir un relevé »: a quantity typed the French way is the quantity recorded."""

from decimal import Decimal

import pytest

from mutualis.metering.models import UsageRecord

URL = "/operateur/consommations/saisir/"


@pytest.fixture
def reading(usage_world):
    return {
        "member": usage_world["member"].pk,
        "service": usage_world["backup"].pk,
        "period": "month",
        "year": "2026",
        "month": "4",
        "note": "",
    }


def test_the_entry_page_has_no_number_input(client, accountant, usage_world):
    client.force_login(accountant)
    page = client.get(URL).content.decode()
    assert 'type="number"' not in page
    assert 'inputmode="decimal"' in page


@pytest.mark.parametrize("typed", ["12,5", "12.5", "12,500"])
def test_12_5_is_recorded_as_12_5_not_125(client, accountant, reading, typed):
    client.force_login(accountant)
    assert client.post(URL, {**reading, "quantity": typed}).status_code == 302
    assert UsageRecord.objects.get().quantity == Decimal("12.5")


def test_thousands_typed_with_a_space(client, accountant, reading):
    client.force_login(accountant)
    assert client.post(URL, {**reading, "quantity": "1 234,5"}).status_code == 302
    assert UsageRecord.objects.get().quantity == Decimal("1234.5")


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("99999999999999999999", "dépasse la plus grande valeur possible"),
        ("1e999999", "n&#x27;est pas un nombre"),
        ("12,5,3", "n&#x27;est pas un nombre"),
        ("-3", "ne peut pas être négative"),
    ],
)
def test_a_quantity_that_does_not_fit_is_refused_in_french_and_nothing_is_saved(
    client, accountant, reading, typed, words
):
    client.force_login(accountant)
    response = client.post(URL, {**reading, "quantity": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert words in page
    assert "a pas été enregistré" in page
    assert not UsageRecord.objects.exists()
