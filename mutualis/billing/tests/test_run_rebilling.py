"""An EPCI that subscribes for its communes pays for them, then re-bills them by its key."""

import datetime as dt

import pytest

from mutualis.billing.models import ChargeLine
from mutualis.billing.services import tariffs
from mutualis.billing.tests.conftest import add_usage, computed_run, make_communes
from mutualis.catalog.models import SubscriptionScope, Unit
from mutualis.catalog.services import subscription_create
from mutualis.catalog.tests.factories import ServiceFactory
from mutualis.members.tests.factories import EpciMemberFactory

TARIFF = """service = "{code}"
year = 2026
unit = "comptes"
prorata_temporis = false

[usage]
mode = "flow"

[[components]]
type = "unit_price"
price = 10
"""


@pytest.mark.django_db
def test_the_epci_pays_then_rebills_its_communes_by_population():
    epci = EpciMemberFactory()
    small, large = make_communes(epci, [100, 300])
    service = ServiceFactory(unit=Unit.USER_ACCOUNT)
    subscription_create(
        member=epci,
        service=service,
        start_date=dt.date(2026, 1, 1),
        scope=SubscriptionScope.WITH_COMMUNES,
        rebill_key="population",
    )
    add_usage([small, large], service, [10, 30])
    tariff = tariffs.tariff_import_text(text=TARIFF.format(code=service.code), source="t.toml")
    tariffs.tariff_adopt_by_vote(
        tariff=tariff, body="Comité syndical", number="1", date=dt.date(2025, 12, 1)
    )

    run = computed_run(None)

    operator_lines = ChargeLine.objects.filter(run=run, issuer__isnull=True)
    assert {line.payer_id for line in operator_lines} == {epci.pk}
    assert sum(line.amount_cents for line in operator_lines) == 400_00
    rebilled = {
        line.payer_id: line.amount_cents for line in ChargeLine.objects.filter(run=run, issuer=epci)
    }
    assert rebilled == {small.pk: 100_00, large.pk: 300_00}
