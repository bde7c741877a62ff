"""The prices of « Mon espace »: an estimate is the engine on the adopted tariff (the same
cents as a run), from the member's usage or an entered quantity; what was paid comes from
the titres issued."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mutualis.billing.models import ChargeLine
from mutualis.billing.prices import EnginePrices
from mutualis.billing.tests.conftest import computed_run
from mutualis.catalog import pricing
from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory

TODAY = dt.date(2026, 12, 2)


def _estimate(member, service, quantities=None):
    return EnginePrices().estimates(member, [service], quantities or {}, today=TODAY)[service.pk]


def test_an_estimate_from_usage_is_what_the_run_charges(world):
    bourg = world["communes"][1]
    estimate = _estimate(bourg, world["certificats"])
    run = computed_run(world)
    charged = ChargeLine.objects.get(run=run, member=bourg, service=world["certificats"])
    assert estimate.cents == charged.amount_cents == 12400  # 10 certificats × 12,40 €
    assert estimate.basis == "sur vos consommations de 2026"
    shared = _estimate(bourg, world["ent"])
    ent_line = ChargeLine.objects.get(run=run, member=bourg, service=world["ent"])
    assert shared.cents == ent_line.amount_cents


def test_an_exempted_member_is_told_zero(world):
    small = world["communes"][0]  # 250 inhabitants: exempted from certificats
    assert _estimate(small, world["certificats"]).cents == 0


def test_a_new_member_entering_a_quantity_joins_the_cost_sharing(world):
    newcomer = MemberFactory(population=2000)
    estimate = _estimate(newcomer, world["ent"], {world["ent"].pk: Decimal("100")})
    # 7 200 € net (12 000 € less 40 % FEDER) shared over 600 + 100 pupils: its share.
    assert abs(estimate.cents - 720000 * 100 // 700) <= 1
    assert "100" in estimate.basis
    without = _estimate(newcomer, world["ent"])
    assert without.cents is None and without.needs_quantity


def test_a_quantity_outside_the_voted_bands_is_explained_not_a_crash(world):
    from mutualis.billing.models import Tariff, TariffStatus
    from mutualis.catalog.tests.factories import ServiceFactory

    service = ServiceFactory(code="stock")
    Tariff.objects.create(
        service=service,
        year=2026,
        status=TariffStatus.ADOPTED,
        text='service = "stock"\nyear = 2026\n[[components]]\ntype = "tiers"\n'
        "bands = [{ upto = 10, price = 1 }]\n",
    )
    estimate = _estimate(MemberFactory(), service, {service.pk: Decimal("50")})
    assert estimate.cents is None
    assert "tranches" in estimate.basis


def test_paid_is_read_from_the_titres(issued_titres, world):
    bourg = world["communes"][1]
    rows = {row.service: row for row in pricing.paid(bourg, 2026)}
    run_lines = ChargeLine.objects.filter(run=issued_titres, payer=bourg)
    assert sum(r.this_year_cents for r in rows.values()) == sum(
        line.amount_cents for line in run_lines
    )
    assert all(r.last_year_cents is None for r in rows.values())  # no titre in 2025: not 0


def test_the_catalogue_and_my_space_show_prices(issued_titres, world, client):
    bourg = world["communes"][1]
    agent = UserFactory()
    AgentAccessFactory(user=agent, member=bourg)
    client.force_login(agent)
    page = client.get(f"/mon-espace/{bourg.pk}/catalogue/").content.decode()
    assert "Coût estimé pour un an" in page
    assert "124,00" in page
    space = client.get(f"/mon-espace/{bourg.pk}/").content.decode()
    assert "Ce que nous payons" in space and "124,00" in space
    total = sum(row.this_year_cents for row in pricing.paid(bourg, 2026))
    from mutualis.billing.money import format_euros

    assert f'<th scope="row">Total</th><td class="num">{format_euros(total)}</td>' in space


def test_an_agent_enters_an_estimate_in_the_catalogue(world, client):
    newcomer = MemberFactory(population=2000)
    agent = UserFactory()
    AgentAccessFactory(user=agent, member=newcomer)
    client.force_login(agent)
    ent = world["ent"]
    page = client.get(f"/mon-espace/{newcomer.pk}/catalogue/").content.decode()
    assert f'name="s{ent.pk}-quantity"' in page
    page = client.get(
        f"/mon-espace/{newcomer.pk}/catalogue/", {f"s{ent.pk}-quantity": "100"}
    ).content.decode()
    assert "sur votre estimation : 100" in page
    refused = client.get(
        f"/mon-espace/{newcomer.pk}/catalogue/", {f"s{ent.pk}-quantity": "beaucoup"}
    )
    assert refused.status_code == 200
    assert "sur votre estimation" not in refused.content.decode()


def test_a_flat_fee_is_estimated_without_asking_a_quantity(db):
    from mutualis.billing.models import TariffStatus
    from mutualis.billing.tests.factories import TariffFactory, flat_tariff_text
    from mutualis.catalog.tests.factories import ServiceFactory

    service = ServiceFactory(code="site")
    TariffFactory(
        service=service, status=TariffStatus.ADOPTED, text=flat_tariff_text("site", 2026, "240")
    )
    estimate = _estimate(MemberFactory(), service)
    assert estimate.cents == 24000
    assert not estimate.needs_quantity


def test_an_exemption_is_said(world):
    small = world["communes"][0]  # 250 inhabitants: exempted from certificats
    estimate = _estimate(small, world["certificats"])
    assert estimate.cents == 0 and estimate.exemption == "commune < 500 hab."


def test_the_catalogue_shows_an_exemption_not_a_bare_zero(world, client):
    small = world["communes"][0]
    agent = UserFactory()
    AgentAccessFactory(user=agent, member=small)
    client.force_login(agent)
    page = client.get(f"/mon-espace/{small.pk}/catalogue/").content.decode()
    assert "exonéré (commune &lt; 500 hab.)" in page
    assert "Coût estimé pour un an : 0,00" not in page


def test_estimates_are_kept_until_the_data_they_read_changes(world, monkeypatch):
    """The catalogue asks the engine once per member and data: a second visit reads the
    cache, a new reading computes again."""
    from mutualis.billing import prices
    from mutualis.billing.tests.conftest import add_usage

    calls = []
    real = prices.compute

    def counted(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(prices, "compute", counted)
    bourg = world["communes"][1]
    services = [world["ent"], world["certificats"]]
    first = EnginePrices().estimates(bourg, services, {}, today=TODAY)
    assert len(calls) == 1  # one engine call for the services of one year
    assert EnginePrices().estimates(bourg, services, {}, today=TODAY) == first
    assert len(calls) == 1
    add_usage([bourg], world["certificats"], ["40"], month=6)
    again = EnginePrices().estimates(bourg, services, {}, today=TODAY)
    assert len(calls) == 2
    assert again[world["certificats"].pk].cents > first[world["certificats"].pk].cents
    other = EnginePrices().estimates(bourg, services, {world["ent"].pk: Decimal("10")}, today=TODAY)
    assert len(calls) == 3 and other != again  # an entered quantity is its own estimate


def test_my_space_says_exempted_rather_than_zero(issued_titres, world, client):
    small = world["communes"][0]  # exempted from certificats
    rows = {row.service: row for row in pricing.paid(small, 2026)}
    assert rows[world["certificats"].name].exemption == "commune < 500 hab."
    assert rows[world["ent"].name].exemption == ""
    agent = UserFactory()
    AgentAccessFactory(user=agent, member=small)
    client.force_login(agent)
    if timezone.localdate().year == 2026:  # the page shows this year's titres
        space = client.get(f"/mon-espace/{small.pk}/").content.decode()
        assert "exonéré (commune &lt; 500 hab.)" in space
