"""Technicians log their own days; managers log anyone's; overlaps and gaps are refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mutualis.core.tests.factories import UserFactory
from mutualis.staffing.models import WorkLogEntry
from mutualis.staffing.services import work_log_create
from mutualis.staffing.tests.factories import StaffingAgreementFactory, TechnicianFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 9, 8)
URL = "/operateur/informaticiens/journal/saisir/"


@pytest.fixture
def agreement():
    return StaffingAgreementFactory()


def log(agreement, technician, logged_by, **overrides):
    values = {
        "technician": technician,
        "member": agreement.member,
        "date": DAY,
        "half": "full",
        "category": "network",
        "tasks": "Remplacement du commutateur de la mairie annexe.",
        "logged_by": logged_by,
    }
    return work_log_create(**(values | overrides))


def assigned(agreement, technician=None):
    technician = technician or TechnicianFactory()
    agreement.technicians.add(technician)
    return technician


def test_a_technician_logs_their_own_day(agreement):
    technician = assigned(agreement)
    entry = log(agreement, technician, technician.user, support_reference="TK-1234")
    assert entry.agreement == agreement
    assert entry.days == 1
    assert entry.support_reference == "TK-1234"


def test_a_technician_cannot_log_for_a_colleague(agreement):
    with pytest.raises(ValidationError, match="propres journées"):
        log(agreement, TechnicianFactory(), TechnicianFactory().user)


def test_a_manager_logs_for_anyone_and_read_only_staff_cannot(agreement):
    assert log(agreement, assigned(agreement), UserFactory(manager=True))
    with pytest.raises(ValidationError):
        log(agreement, assigned(agreement), UserFactory(read_only=True))


def test_a_morning_and_an_afternoon_but_not_twice_the_same_half_day(agreement):
    technician = assigned(agreement)
    log(agreement, technician, technician.user, half="am")
    log(StaffingAgreementFactory(technicians=[technician]), technician, technician.user, half="pm")
    with pytest.raises(ValidationError, match="déjà saisie"):
        log(agreement, technician, technician.user, half="full")


def test_no_agreement_no_log(agreement):
    technician = TechnicianFactory()
    with pytest.raises(ValidationError, match="Aucune convention"):
        log(agreement, technician, technician.user, date=dt.date(2025, 6, 3))


def test_the_form_offers_a_technician_only_themself(client, agreement):
    technician = assigned(agreement)
    TechnicianFactory()
    client.force_login(technician.user)
    form = client.get(URL).context["form"]
    assert list(form.fields["technician"].queryset) == [technician]
    response = client.post(
        URL,
        {
            "technician": technician.pk,
            "member": agreement.member.pk,
            "date": "2026-09-08",
            "half": "am",
            "category": "security",
            "tasks": "Mise à jour de l'antivirus.",
        },
    )
    assert response.status_code == 302
    assert WorkLogEntry.objects.get().logged_by == technician.user


def test_read_only_staff_see_an_explanation(client):
    client.force_login(UserFactory(read_only=True))
    response = client.get(URL)
    assert response.status_code == 200
    assert "form" not in response.context
