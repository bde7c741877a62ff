"""Readings entered by hand or pushed through the API replace the reading of the period."""

from rest_framework.test import APIClient

from mutualis.members.tests.factories import AgentAccessFactory
from mutualis.metering.models import UsageRecord, UsageSource


def test_the_operator_form_records_a_reading(client, accountant, usage_world):
    client.force_login(accountant)
    data = {
        "member": usage_world["member"].pk,
        "service": usage_world["backup"].pk,
        "period": "month",
        "year": 2026,
        "month": 4,
        "quantity": "12.5",
        "note": "",
    }
    assert client.post("/operateur/consommations/saisir/", data).status_code == 302
    data["quantity"] = "13"
    client.post("/operateur/consommations/saisir/", data)
    record = UsageRecord.objects.get()
    assert (record.quantity, record.source) == (13, UsageSource.MANUAL)


def test_the_form_shows_why_a_reading_is_refused(client, accountant, usage_world):
    client.force_login(accountant)
    response = client.post(
        "/operateur/consommations/saisir/",
        {
            "member": usage_world["other"].pk,
            "service": usage_world["backup"].pk,
            "period": "month",
            "year": 2026,
            "month": 4,
            "quantity": "1",
        },
    )
    assert response.status_code == 200
    assert "ne souscrit pas" in response.content.decode()


def test_the_api_accepts_readings_from_billing_staff_only(accountant, usage_world):
    payload = {
        "member": usage_world["member"].pk,
        "service": usage_world["backup"].pk,
        "period": "month",
        "year": 2026,
        "month": 5,
        "quantity": "7.250",
        "unit": "gb",
    }
    agent = APIClient()
    agent.force_authenticate(AgentAccessFactory(member=usage_world["member"]).user)
    assert agent.post("/api/v1/usage/", payload, format="json").status_code == 403
    api = APIClient()
    api.force_authenticate(accountant)
    created = api.post("/api/v1/usage/", payload, format="json")
    assert created.status_code == 201
    assert created.json()["outcome"] == "created"
    again = api.post("/api/v1/usage/", payload, format="json")
    assert (again.status_code, again.json()["outcome"]) == (200, "unchanged")
    wrong = api.post("/api/v1/usage/", {**payload, "unit": "pupil"}, format="json")
    assert wrong.status_code == 400
    assert "unit" in wrong.json()
    listed = agent.get("/api/v1/usage/").json()["results"]
    assert [row["quantity"] for row in listed] == ["7.250"]
