"""What the QA pass of the élus' page found: search by normalised name, only members listed,
one base for « payé » and « économisé », exemptions and negative savings explained, bad
years refused in French."""

from django.utils import timezone

from mutualis.core.tests.factories import UserFactory
from mutualis.members.tests.factories import MemberFactory, MembershipFactory


def _listed(client, query=""):
    client.force_login(UserFactory(read_only=True))
    return client.get("/elus/", {"q": query} if query else {}).content.decode()


def test_the_search_ignores_accents_hyphens_and_case(db, client):
    MembershipFactory(member=MemberFactory(name="Bègles"))
    MembershipFactory(member=MemberFactory(name="Saint-Émilion"))
    MembershipFactory(member=MemberFactory(name="Cérons"))
    for query, found in (
        ("begles", "Bègles"),
        ("beg", "Bègles"),
        ("saint-emilion", "Saint-Émilion"),
        ("SAINT EMILION", "Saint-Émilion"),
    ):
        text = _listed(client, query)
        assert found in text, query
        assert "Cérons" not in text, query


def test_only_members_that_joined_are_listed(db, client):
    MembershipFactory(member=MemberFactory(name="Adhérente"))
    MemberFactory(name="Bazas")
    text = _listed(client)
    assert "Adhérente" in text
    assert "Bazas" not in text


def test_a_commune_that_never_joined_says_so(db, client):
    bazas = MemberFactory(name="Bazas")
    client.force_login(UserFactory(read_only=True))
    text = client.get(f"/elus/{bazas.pk}/").content.decode()
    assert "Non adhérent" in text
    assert "pas de prix de référence" not in text


def test_paid_and_saved_cover_the_same_spending(db, client):
    """A member without titres but with a grouped purchase: « payé » shows what it paid the
    supplier, on its own line, and the percentage is computed on the same lines."""
    from decimal import Decimal

    from mutualis.insights import selectors
    from mutualis.purchasing.tests.factories import LotFactory, NeedFactory

    member = MembershipFactory().member
    lot = LotFactory(awarded_unit_price=Decimal("20.00"), reference_unit_price=Decimal("25.00"))
    NeedFactory(member=member, lot=lot, quantity=Decimal("10"))
    page = selectors.member_page(member, 2026)
    purchases = page.savings.parts[0].lines[0]
    assert page.paid_total == 0  # no titre
    assert page.purchases_paid == purchases.paid_cents > 0
    assert page.spent_total == purchases.paid_cents
    assert page.savings.alone_cents - page.savings.total_cents == page.spent_total
    client.force_login(UserFactory(read_only=True))
    text = client.get(f"/elus/{member.pk}/?annee=2026").content.decode()
    assert "Achats groupés — payés aux titulaires des marchés" in text
    assert "payés directement aux titulaires" in text  # the method says it


def test_read_only_staff_is_not_invited_to_request_a_service(db, client):
    member = MembershipFactory().member
    client.force_login(UserFactory(read_only=True))
    text = client.get(f"/mon-espace/{member.pk}/").content.decode()
    assert "Voir le catalogue" in text
    assert "demander un service" not in text


def test_a_year_without_titres_is_a_dash_not_zero(issued_titres, world, client):
    from mutualis.members.tests.factories import AgentAccessFactory

    bourg = world["communes"][1]
    agent = UserFactory()
    AgentAccessFactory(user=agent, member=bourg)
    client.force_login(agent)
    text = client.get(f"/mon-espace/{bourg.pk}/").content.decode()
    year = timezone.localdate().year  # the page shows this year and the one before
    assert f"aucun titre émis pour {2025 if year == 2026 else year}" in text  # 2026 only
    assert '<td class="num">—</td>' in text


def test_an_exempted_service_is_said_exempted_beside_its_reference_price(
    issued_titres, world, client
):
    from mutualis.catalog.models import ReferencePrice
    from mutualis.insights import selectors
    from mutualis.members.size import SizeClass

    small = world["communes"][0]  # 250 inhabitants: exempted from certificats
    ReferencePrice.objects.create(
        service=world["certificats"], size_class=SizeClass.UNDER_500, yearly_cents=30000
    )
    pooled = selectors.member_savings(small, 2026).parts[1]
    line = {line.label: line for line in pooled.lines}[world["certificats"].name]
    assert line.paid_cents == 0 and line.exemption == "commune < 500 hab."
    assert line.saving_cents == 30000
    assert "prix seul entier" in line.method
    ent = {line.label: line for line in pooled.lines}[world["ent"].name]
    assert ent.exemption == ""  # paid: not exempted
    client.force_login(UserFactory(read_only=True))
    text = client.get(f"/elus/{small.pk}/?annee=2026").content.decode()
    assert "exonéré (commune &lt; 500 hab.)" in text


def test_a_negative_saving_says_why_beside_the_figure(db, client):
    import datetime as dt
    from decimal import Decimal

    from mutualis.billing.money import format_euros
    from mutualis.insights import selectors
    from mutualis.insights.services import savings_reference_update
    from mutualis.staffing.tests.factories import (
        StaffingAgreementFactory,
        WorkLogEntryFactory,
    )

    agreement = StaffingAgreementFactory()
    for day in (8, 9):
        WorkLogEntryFactory(agreement=agreement, date=dt.date(2026, 9, day))
    savings_reference_update(staff_day_cost=Decimal("260"), staff_day_cost_source="Grille")
    staff = selectors.member_savings(
        agreement.member, 2026, paid={agreement.service_id: 64000}
    ).parts[2]
    assert staff.saving_cents == 2 * 26000 - 64000
    why = (
        f"le jour facturé par le syndicat ({format_euros(32000)}) dépasse le coût d'un jour "
        f"recruté seul ({format_euros(26000)})"
    )
    assert staff.negative_notes == (why,)
    cheaper = selectors.member_savings(
        agreement.member, 2026, paid={agreement.service_id: 40000}
    ).parts[2]
    assert cheaper.negative_notes == ()


def test_a_bad_year_is_refused_in_french_and_the_default_year_shown(issued_titres, world, client):
    bourg = world["communes"][1]
    client.force_login(UserFactory(read_only=True))
    for typed, why in (
        ("abc", "pas un nombre"),
        ("1900", "2000 au moins"),
        ("99999", "2100 au plus"),
    ):
        text = client.get(f"/elus/{bourg.pk}/", {"annee": typed}).content.decode()
        assert "Année refusée" in text and why in text, typed
        assert "année 2026, affichée par défaut" in text  # its latest titres
        assert f'value="{typed}"' in text and 'aria-invalid="true"' in text


def test_the_cost_of_a_day_is_written_as_money(db, client):
    from decimal import Decimal

    from mutualis.billing.money import format_euros
    from mutualis.insights.services import savings_reference_update

    savings_reference_update(staff_day_cost=Decimal("260"), staff_day_cost_source="Grille")
    client.force_login(UserFactory(manager=True))
    text = client.get("/elus/references/").content.decode()
    assert format_euros(26000) in text  # « 260,00 € »
    assert 'value="260,00"' in text
    client.force_login(UserFactory(read_only=True))
    assert format_euros(26000) in client.get("/elus/references/").content.decode()
