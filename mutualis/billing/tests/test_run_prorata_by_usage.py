"""The catalogue's usage mode sets the default of prorata_temporis: a flow measured from May is
not cut again by days/365; a stock is; an explicit prorata_temporis in the tariff wins."""

import datetime as dt

import pytest

from mutualis.billing.models import ChargeLine
from mutualis.billing.services import tariffs
from mutualis.billing.tests.conftest import add_usage, computed_run
from mutualis.catalog.models import UsageKind, YearlyReading
from mutualis.catalog.services import subscription_create
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.members.tests.factories import MemberFactory

TARIFF = """service = "{code}"
year = 2026
{extra}
[[components]]
type = "unit_price"
price = 100
"""


def billed(usage_kind: str, extra: str = "") -> ChargeLine:
    member = MemberFactory()
    reading = YearlyReading.SUM if usage_kind == UsageKind.FLOW else YearlyReading.LAST
    service = ServiceFactory(usage_kind=usage_kind, yearly_reading=reading)
    subscription_create(member=member, service=service, start_date=dt.date(2026, 5, 1))
    add_usage([member], service, ["12"], month=12)
    text = TARIFF.format(code=service.code, extra=extra)
    tariff = tariffs.tariff_import_text(text=text, source="t.toml")
    tariffs.tariff_adopt_by_vote(
        tariff=tariff, body="Comité syndical", number="1", date=dt.date(2025, 12, 1)
    )
    return ChargeLine.objects.get(run=computed_run(None), member=member)


@pytest.mark.django_db
def test_days_worked_from_may_are_billed_whole():
    line = billed(UsageKind.FLOW)
    assert line.amount_cents == 1200_00
    assert "prorata" not in line.explanation


@pytest.mark.django_db
def test_a_stock_from_may_is_pro_rated():
    line = billed(UsageKind.STOCK)
    assert line.amount_cents == 805_48  # 1 200 € × 245/365
    assert "prorata 245/365 jours" in line.explanation


@pytest.mark.django_db
def test_an_explicit_prorata_in_the_tariff_wins_over_the_catalogue():
    assert billed(UsageKind.FLOW, "prorata_temporis = true").amount_cents == 805_48
