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
