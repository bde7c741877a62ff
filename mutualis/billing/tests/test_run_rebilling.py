"""An EPCI that subscribes for its communes pays for them, then re-bills them by its key."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

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


@pytest.mark.django_db
def test_the_epci_rebills_its_own_participation_and_explanations_name_it():
    epci = EpciMemberFactory(name="CC de l'Estuaire")
    small, large = make_communes(epci, [100, 300])
    service = ServiceFactory(unit=Unit.USER_ACCOUNT)
    subscription_create(
        member=epci,
        service=service,
        start_date=dt.date(2026, 1, 1),
        scope=SubscriptionScope.WITH_COMMUNES,
        rebill_key="usage",
        rebill_own_key="equal",
    )
    add_usage([epci, small, large], service, [5, 10, 30])
    tariff = tariffs.tariff_import_text(text=TARIFF.format(code=service.code), source="t.toml")
    tariffs.tariff_adopt_by_vote(
        tariff=tariff, body="Comité syndical", number="1", date=dt.date(2025, 12, 1)
    )

    run = computed_run(None)

    rebilled = ChargeLine.objects.filter(run=run, issuer=epci)
    by_payer: dict[int, int] = {}
    for line in rebilled:
        by_payer[line.payer_id] = by_payer.get(line.payer_id, 0) + line.amount_cents
        assert "CC de l'Estuaire" in line.explanation
        assert f"par {epci.pk} " not in line.explanation
    # 50 € of its own, in two equal shares, on top of each commune's own usage.
    assert by_payer == {small.pk: 100_00 + 25_00, large.pk: 300_00 + 25_00}
    operator_billed = ChargeLine.objects.filter(run=run, issuer__isnull=True)
    assert sum(by_payer.values()) == sum(line.amount_cents for line in operator_billed)


@pytest.mark.django_db
def test_an_epci_subscribing_for_itself_alone_has_no_communes_to_rebill_its_participation():
    epci = EpciMemberFactory()
    with pytest.raises(ValidationError) as error:
        subscription_create(
            member=epci,
            service=ServiceFactory(),
            start_date=dt.date(2026, 1, 1),
            rebill_own_key="population",
        )
    assert "rebill_own_key" in error.value.message_dict
