"""Simulating a tariff change before the vote: per member, in € and %, with a chart."""

from mutualis.billing.models import Tariff
from mutualis.billing.services.simulation import chart_bars, simulate
from mutualis.billing.tests.conftest import ENT, computed_run

SOLIDARITY = (
    ENT
    + """
[solidarity]
measure = "population"
bands = [
  { below = 500, coefficient = 0.5 },
  { below = 3500, coefficient = 1 },
  { coefficient = 1.5 },
]
"""
)


def _candidate(world):
    return Tariff.objects.create(service=world["ent"], year=2026, version=2, text=SOLIDARITY)


def test_two_versions_on_the_same_usage(world):
    simulation = simulate(candidate=_candidate(world), base=world["tariffs"][0], year=2026)
    small, bourg, cerons = world["communes"]
    rows = {row.member_id: row for row in simulation.rows}
    assert rows[small.pk].diff_cents < 0
    assert rows[bourg.pk].diff_cents > 0
    # Solidarity only moves money: both balance to the net cost.
    assert simulation.base.charged_cents == simulation.candidate.charged_cents == 720000
    assert sum(row.diff_cents for row in simulation.rows) == 0
    assert [r.member_id for r in simulation.losers] == [bourg.pk]
    assert simulation.winners[0].member_id in {small.pk, cerons.pk}
    assert rows[bourg.pk].percent.startswith("+")


def test_against_the_amounts_of_a_run(world):
    run = computed_run(world)
    simulation = simulate(candidate=_candidate(world), base_run=run, year=2026)
    assert simulation.base.charged_cents == 720000
    assert simulation.base.net_cost_cents == 720000
    assert len(simulation.rows) == 3


def test_the_chart_has_one_bar_per_change():
    from mutualis.billing.services.simulation import Balance, MemberChange, Simulation

    simulation = Simulation(
        2026,
        Balance("a", 300),
        Balance("b", 300),
        [MemberChange(1, "Ancy", 250, 100, 50), MemberChange(2, "Bourg", 4000, 200, 250)],
    )
    chart = chart_bars(simulation)
    assert [bar.positive for bar in chart["bars"]] == [True, False]
    assert chart["bars"][0].x == chart["zero"]


def test_the_page_and_its_export(client, accountant, world):
    client.force_login(accountant)
    candidate = _candidate(world)
    query = f"candidate={candidate.pk}&base={world['tariffs'][0].pk}"
    page = client.get(f"/operateur/facturation/simulation/?{query}")
    html = page.content.decode()
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in html
    assert "<caption>" in html
    export = client.get(f"/operateur/facturation/simulation/export.csv?{query}")
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("membre;population;base_euros")
    assert len(lines) == 4
