"""A reading ten times the previous one, or under a tenth of it, looks like a typing mistake."""

from decimal import Decimal

import pytest

from mutualis.metering.checks import is_unusual, previous_quantities, unusual_previous
from mutualis.metering.models import Period
from mutualis.metering.tests.factories import UsageRecordFactory


@pytest.mark.parametrize(
    ("previous", "quantity", "unusual"),
    [
        (Decimal(12), Decimal(125), True),  # « 12,5 » typed where the comma was dropped
        (Decimal("12.5"), Decimal(125), True),  # exactly ten times: the comma dropped
        (Decimal(12), Decimal(119), False),
        (Decimal(12), Decimal("1.21"), False),
        (Decimal(12), Decimal("1.2"), True),
        (Decimal(12), Decimal("1.1"), True),
        (Decimal(12), Decimal(0), True),
        (None, Decimal(10**9), False),  # a first reading has nothing to compare with
        (Decimal(0), Decimal(50), False),
    ],
)
def test_the_rule(previous, quantity, unusual):
    assert is_unusual(previous, quantity) is unusual


@pytest.mark.django_db
def test_the_previous_reading_is_the_latest_before_of_the_same_kind():
    january = UsageRecordFactory(year=2026, month=1, quantity=Decimal(10))
    member, service = january.member, january.service
    UsageRecordFactory(member=member, service=service, year=2026, month=2, quantity=Decimal(12))
    UsageRecordFactory(
        member=member, service=service, period=Period.YEAR, year=2025, quantity=Decimal(500)
    )
    march = (member.pk, service.pk, Period.MONTH, 2026, 3)
    february = (member.pk, service.pk, Period.MONTH, 2026, 2)
    first = (member.pk, service.pk, Period.MONTH, 2026, 1)
    assert previous_quantities([march, february, first]) == {
        march: Decimal(12),
        february: Decimal(10),
    }
    assert (
        unusual_previous(
            member_id=member.pk,
            service_id=service.pk,
            period=Period.MONTH,
            year=2026,
            month=3,
            quantity=Decimal(125),
        )
        == 12
    )
