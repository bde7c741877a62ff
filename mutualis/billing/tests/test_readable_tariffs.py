"""Tariffs readable by the comité: the French text on the page, the PDF for the
délibération, two versions side by side, and the whole budget simulated at once."""

from mutualis.billing.models import ChargeLine, Tariff
from mutualis.billing.services.budget import simulate_budget
from mutualis.billing.tests.conftest import computed_run
from mutualis.billing.tests.test_simulation import SOLIDARITY
from mutualis.core.tests.factories import UserFactory


def _draft(world):
    return Tariff.objects.create(service=world["ent"], year=2026, version=2, text=SOLIDARITY)


def test_the_tariff_page_reads_in_french_and_prints(world, client):
    client.force_login(UserFactory(read_only=True))
    ent = world["tariffs"][0]
    page = client.get(f"/operateur/facturation/tarifs/{ent.pk}/").content.decode()
    assert "Le tarif en clair" in page
    assert "Subventions et contributions" in page and "FEDER" in page
    pdf = client.get(f"/operateur/facturation/tarifs/{ent.pk}/tarif.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_compare_is_offered_only_when_there_is_another_version(world, client):
    client.force_login(UserFactory(read_only=True))
    ent = world["tariffs"][0]
    detail = f"/operateur/facturation/tarifs/{ent.pk}/"
    assert "Comparer avec une autre version" not in client.get(detail).content.decode()
    compare = client.get(f"{detail}comparaison/").content.decode()
    assert "Ce tarif n'a pas d'autre version." in compare.replace("&#x27;", "'")
    assert 'name="avec"' not in compare  # no empty select
    _draft(world)
    assert "Comparer avec une autre version" in client.get(detail).content.decode()


def test_two_versions_side_by_side(world, client):
    draft = _draft(world)
    client.force_login(UserFactory(accountant=True))
    page = client.get(f"/operateur/facturation/tarifs/{draft.pk}/comparaison/").content.decode()
    assert "Péréquation (solidarité)" in page
    assert "Absent de cette version." in page  # v1 has no solidarity
    assert 'class="changed"' in page


def test_the_whole_budget_under_the_drafts(world):
    _draft(world)
    budget = simulate_budget(year=2026)
    run = computed_run(world)
    adopted = {}
    for line in ChargeLine.objects.filter(run=run).operator_billed():
        adopted[line.member_id] = adopted.get(line.member_id, 0) + line.amount_cents
    assert {r.member_id: r.base_cents for r in budget.rows} == adopted
    services = {line.service: line for line in budget.services}
    assert services[world["ent"].name].changed
    assert not services[world["certificats"].name].changed
    assert services[world["certificats"].name].diff_cents == 0
    # Solidarity only moves the ENT's money between members: the balance holds.
    assert budget.diff_cents == 0
    assert budget.losers and budget.winners
