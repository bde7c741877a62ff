"""Readings pushed through the API: the quantity is read like in the form and the imports."""

import json
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from mutualis.metering.models import UsageRecord

URL = "/api/v1/usage/"


@pytest.fixture
def api(accountant):
    client = APIClient()
    client.force_authenticate(accountant)
    return client


@pytest.fixture
def payload(usage_world):
    return {
        "member": usage_world["member"].pk,
        "service": usage_world["backup"].pk,
        "period": "month",
        "year": 2026,
        "month": 5,
    }


@pytest.mark.parametrize("sent", ["12,5", "12.5", 12.5])
def test_a_quantity_with_a_decimal_comma_is_read(api, payload, sent):
    response = api.post(URL, {**payload, "quantity": sent}, format="json")
    assert response.status_code == 201, response.json()
    assert UsageRecord.objects.get().quantity == Decimal("12.5")


@pytest.mark.parametrize(
    ("sent", "words"),
    [
        ("99999999999999999999", "dépasse la plus grande valeur possible"),
        ("1e999999", "n'est pas un nombre"),
        ("NaN", "n'est pas un nombre"),
    ],
)
def test_a_quantity_that_does_not_fit_is_refused_in_french(api, payload, sent, words):
    response = api.post(URL, {**payload, "quantity": sent}, format="json")
    assert response.status_code == 400
    assert words in response.json()["quantity"][0]
    assert not UsageRecord.objects.exists()


def test_a_json_number_too_large_for_any_float_is_refused(api, payload):
    """1e999999 written as a JSON number is read as infinity."""
    body = json.dumps({**payload, "quantity": "QUANTITY"}).replace('"QUANTITY"', "1e999999")
    response = api.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert "n'est pas un nombre" in response.json()["quantity"][0]
    assert not UsageRecord.objects.exists()
