"""Days read the French way: « 1 j par semaine », « 2,5 », « 14 » — never « 1.0 » or « 14,0 »."""

import datetime as dt
from decimal import Decimal

import pytest

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory
from mutualis.staffing.formatting import format_days
from mutualis.staffing.tests.factories import (
    PlannedDayFactory,
    StaffingAgreementFactory,
    TechnicianFactory,
    WorkLogEntryFactory,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1.0"), "1"),
        (Decimal("14.0"), "14"),
        (Decimal("12"), "12"),
        (Decimal("10"), "10"),
        (Decimal("2.5"), "2,5"),
        (Decimal("0.50"), "0,5"),
        (Decimal("0"), "0"),
        (3, "3"),
    ],
)
def test_format_days(value, shown):
    assert format_days(value) == shown


@pytest.mark.django_db
def test_quota_labels():
    assert StaffingAgreementFactory(days=Decimal("1.0")).quota_label == "1 j par semaine"
    assert StaffingAgreementFactory(days=Decimal("2.5"), per="month").quota_label == (
        "2,5 j par mois"
    )


@pytest.mark.django_db
def test_pages_show_days_without_a_decimal_point_nor_a_trailing_zero(client):
    technician = TechnicianFactory()
    agreement = StaffingAgreementFactory(technicians=[technician], days=Decimal("1.0"))
    for day in (1, 2, 3):
        PlannedDayFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, day))
    WorkLogEntryFactory(
        agreement=agreement, technician=technician, date=dt.date(2026, 9, 1), half="am"
    )
    WorkLogEntryFactory(agreement=agreement, technician=technician, date=dt.date(2026, 9, 2))
    client.force_login(UserFactory(manager=True))
    pages = {
        "index": client.get("/operateur/informaticiens/", {"annee": 2026}),
        "agreement": client.get(f"/operateur/informaticiens/conventions/{agreement.pk}/"),
        "calendar": client.get(
            f"/operateur/informaticiens/membres/{agreement.member_id}/", {"mois": "2026-09"}
        ),
    }
    client.force_login(AgentAccessFactory(member=agreement.member).user)
    pages["portal"] = client.get(
        f"/mon-espace/{agreement.member_id}/informaticien/", {"mois": "2026-09"}
    )
    for name, response in pages.items():
        page = response.content.decode()
        assert response.status_code == 200, name
        assert ".0" not in page and ",0<" not in page and ",0 " not in page, name
    assert "1 j par semaine" in pages["index"].content.decode()
    assert "1,5 jour(s) travaillé(s)" in pages["calendar"].content.decode()
    assert "3 jour(s) planifié(s)" in pages["calendar"].content.decode()
    assert '<span class="figure">1,5</span>' in pages["agreement"].content.decode()
