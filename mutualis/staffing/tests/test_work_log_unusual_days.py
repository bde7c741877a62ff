"""A public holiday, a weekend or a technician's day off is logged only when confirmed, in
the form and through the API, and the calendars flag it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mutualis.core.tests.factories import UserFactory
from mutualis.staffing.models import WorkLogEntry
from mutualis.staffing.services import work_log_create
from mutualis.staffing.tests.factories import StaffingAgreementFactory, TechnicianFactory

pytestmark = pytest.mark.django_db
ARMISTICE = dt.date(2026, 11, 11)  # a Wednesday
SUNDAY = dt.date(2026, 11, 8)
WEDNESDAY = dt.date(2026, 11, 4)
FORM = "/operateur/informaticiens/journal/saisir/"


@pytest.fixture
def technician():
    return TechnicianFactory(working_weekdays=[0, 1, 3, 4])  # 80 %: no Wednesday


@pytest.fixture
def agreement(technician):
    return StaffingAgreementFactory(technicians=[technician])


def log(agreement, technician, **overrides):
    values = {
        "technician": technician,
        "member": agreement.member,
        "date": ARMISTICE,
        "half": "full",
        "category": "security",
        "tasks": "Intervention sur incident de sécurité.",
        "logged_by": technician.user,
    }
    return work_log_create(**(values | overrides))


@pytest.mark.parametrize("day", [ARMISTICE, SUNDAY, WEDNESDAY])
def test_an_unusual_day_needs_a_confirmation(agreement, technician, day):
    with pytest.raises(ValidationError, match="férié ou non travaillé") as refused:
        log(agreement, technician, date=day)
    assert "confirm_unusual_day" in refused.value.message_dict
    assert log(agreement, technician, date=day, confirm_unusual_day=True).date == day


def test_an_ordinary_day_needs_none(agreement, technician):
    assert log(agreement, technician, date=dt.date(2026, 11, 5))


def test_the_form_asks_for_the_checkbox(client, agreement, technician):
    client.force_login(technician.user)
    data = {
        "technician": technician.pk,
        "member": agreement.member.pk,
        "date": "2026-11-11",
        "half": "full",
        "category": "security",
        "tasks": "Intervention sur incident.",
    }
    refused = client.post(FORM, data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["confirm_unusual_day"]
    assert "Jour férié ou non travaillé : confirmer" in refused.content.decode()
    assert not WorkLogEntry.objects.exists()
    accepted = client.post(FORM, data | {"confirm_unusual_day": "on"})
    assert accepted.status_code == 302
    assert WorkLogEntry.objects.get().date == ARMISTICE


def test_the_calendars_flag_the_day(client, agreement, technician):
    log(agreement, technician, confirm_unusual_day=True)
    log(agreement, technician, date=dt.date(2026, 11, 5))  # an ordinary Thursday
    client.force_login(UserFactory(manager=True))
    for path in (f"techniciens/{technician.pk}/", f"membres/{agreement.member_id}/"):
        response = client.get(f"/operateur/informaticiens/{path}", {"mois": "2026-11"})
        days = {d.day: d for d in response.context["calendar"].days}
        assert days[ARMISTICE].unusual == ["Armistice 1918"]
        assert days[dt.date(2026, 11, 5)].unusual == []
        assert "Saisie un jour férié ou non travaillé" in response.content.decode()


def test_the_api_refuses_unless_confirmed(agreement, technician):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=technician.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    payload = {
        "technician": technician.pk,
        "member": agreement.member.pk,
        "date": "2026-11-08",
        "half": "am",
        "category": "network",
        "tasks": "Redémarrage du pare-feu.",
    }
    refused = client.post("/api/v1/staffing/work-log/", payload, format="json")
    assert refused.status_code == 400
    assert "confirm_unusual_day" in refused.json()
    unconfirmed = payload | {"confirm_unusual_day": False}
    assert client.post("/api/v1/staffing/work-log/", unconfirmed, format="json").status_code == 400
    confirmed = payload | {"confirm_unusual_day": True}
    created = client.post("/api/v1/staffing/work-log/", confirmed, format="json")
    assert created.status_code == 201, created.json()
    assert "confirm_unusual_day" not in created.json()
