"""A day is logged only for an agreement listing the technician, whoever logs it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mutualis.core.tests.factories import UserFactory
from mutualis.staffing.models import WorkLogEntry
from mutualis.staffing.services import work_log_create
from mutualis.staffing.tests.factories import StaffingAgreementFactory, TechnicianFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 9, 8)  # a Tuesday


def log(technician, member, logged_by, **overrides):
    values = {
        "technician": technician,
        "member": member,
        "date": DAY,
        "half": "full",
        "category": "network",
        "tasks": "Câblage de la mairie.",
        "logged_by": logged_by,
    }
    return work_log_create(**(values | overrides))


def test_a_technician_not_assigned_to_the_agreement_is_refused():
    agreement = StaffingAgreementFactory(technicians=[TechnicianFactory()])
    outsider = TechnicianFactory()
    with pytest.raises(ValidationError, match="pas affecté") as refused:
        log(outsider, agreement.member, outsider.user)
    assert "member" in refused.value.message_dict
    assert not WorkLogEntry.objects.exists()


def test_a_manager_logs_for_an_assigned_technician_only():
    assigned, outsider = TechnicianFactory(), TechnicianFactory()
    agreement = StaffingAgreementFactory(technicians=[assigned])
    manager = UserFactory(manager=True)
    with pytest.raises(ValidationError, match="pas affecté"):
        log(outsider, agreement.member, manager)
    assert log(assigned, agreement.member, manager).agreement == agreement


def test_the_agreement_listing_the_technician_is_the_one_billed():
    technician = TechnicianFactory()
    theirs = StaffingAgreementFactory(technicians=[technician], start_date=dt.date(2026, 1, 1))
    StaffingAgreementFactory(
        member=theirs.member, technicians=[TechnicianFactory()], start_date=dt.date(2026, 6, 1)
    )
    assert log(technician, theirs.member, technician.user).agreement == theirs


def test_the_form_shows_the_refusal_on_the_member(client):
    agreement = StaffingAgreementFactory()
    client.force_login(UserFactory(manager=True))
    response = client.post(
        "/operateur/informaticiens/journal/saisir/",
        {
            "technician": TechnicianFactory().pk,
            "member": agreement.member.pk,
            "date": "2026-09-08",
            "half": "full",
            "category": "network",
            "tasks": "Câblage.",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["member"]
    assert not WorkLogEntry.objects.exists()
